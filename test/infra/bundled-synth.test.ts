import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLES } from '../../infra/lambda-bundles.js';
import { createStockAlertApp } from '../../infra/stockalert-app.js';
import { TEST_BOT_IMAGE } from '../helpers/infra-template.js';

/**
 * The one synthesis that really bundles (esbuild from node_modules, no Docker), as `npm run synth`
 * and `npm run deploy` do. The other infra tests skip bundling to stay fast.
 */
describe('the StockAlert app synthesized with real bundling', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'stockalert-cdk-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('builds every function as index.mjs with its assets beside it', () => {
    const { app, stack } = createStockAlertApp({ outdir, context: { botImageUri: TEST_BOT_IMAGE } });
    const assembly = app.synth();
    const template = assembly.getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const functions = Object.values(template.Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(functions).toHaveLength(LAMBDA_BUNDLES.length);
    for (const bundle of LAMBDA_BUNDLES) {
      const fn = functions.find(
        (resource) =>
          (resource.Properties.Environment as { Variables: Record<string, string> }).Variables
            .POWERTOOLS_SERVICE_NAME === `stockalert-${bundle.id}`,
      );
      if (fn === undefined) throw new Error(`no function for the ${bundle.id} bundle`);
      const key = (fn.Properties.Code as { S3Key: string }).S3Key;
      const assetDir = path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
      expect(readdirSync(assetDir)).toContain('index.mjs');
      for (const asset of bundle.assets) {
        expect(
          existsSync(path.join(assetDir, 'assets', asset.name)),
          `${bundle.id}: assets/${asset.name}`,
        ).toBe(true);
      }
    }
  });
});
