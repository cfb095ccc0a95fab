import path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_ESBUILD, type LambdaBundle } from '../lambda-bundles.js';
import { REPO_ROOT } from '../repo-root.js';

export interface BundledFunctionProps {
  readonly bundle: LambdaBundle;
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * One Lambda function built from its entry in `infra/lambda-bundles.ts`: the same entry, format,
 * target, banner and assets as `npm run bundle`, on nodejs22.x arm64. esbuild runs from
 * node_modules, so synthesizing never needs Docker.
 */
export class BundledFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const { bundle } = props;
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, bundle.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: bundle.memoryMb,
      timeout: Duration.seconds(bundle.timeoutSeconds),
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: `stockalert-${bundle.id}`,
        ...(bundle.nodeOptions !== undefined && { NODE_OPTIONS: bundle.nodeOptions }),
      },
      bundling: {
        format: LAMBDA_ESBUILD.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
        target: LAMBDA_ESBUILD.target,
        minify: LAMBDA_ESBUILD.minify,
        sourceMap: LAMBDA_ESBUILD.sourcemap,
        sourceMapMode: SourceMapMode.EXTERNAL,
        banner: LAMBDA_ESBUILD.banner,
        mainFields: [...LAMBDA_ESBUILD.mainFields],
        // Everything is bundled, the AWS SDK included: the versions the tests ran are the ones deployed.
        bundleAwsSDK: true,
        externalModules: [...LAMBDA_ESBUILD.external],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => copyAssetsCommands(bundle, inputDir, outputDir),
        },
      },
    });
  }
}

/** Shell commands that copy a bundle's assets from node_modules into `assets/` beside index.mjs. */
export function copyAssetsCommands(bundle: LambdaBundle, inputDir: string, outputDir: string): string[] {
  if (bundle.assets.length === 0) return [];
  const assetsDir = path.join(outputDir, 'assets');
  return [
    `mkdir -p "${assetsDir}"`,
    ...bundle.assets.map(
      (asset) =>
        `cp "${path.join(inputDir, 'node_modules', asset.packagePath)}" "${path.join(assetsDir, asset.name)}"`,
    ),
  ];
}
