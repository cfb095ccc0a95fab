import { buildLambdaBundles } from './build-lambda-bundles.js';

/**
 * `npm run bundle [-- id…]`: builds every Lambda (or the ones named) into dist/lambda/<id>/, the
 * same artefacts the CDK app deploys and the artefact tests start under plain node.
 */
const only = process.argv.slice(2);
const built = await buildLambdaBundles({ outDir: 'dist/lambda', ...(only.length > 0 && { only }) });
for (const bundle of built) {
  process.stdout.write(
    `${bundle.id.padEnd(12)} ${(bundle.bytes / 1024).toFixed(0).padStart(6)} KiB  ${bundle.file}\n`,
  );
}
