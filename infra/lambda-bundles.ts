/**
 * The one build definition of each Lambda function. `npm run bundle` builds these with esbuild
 * into `dist/lambda/<id>/index.mjs` (plus `assets/`), and the CDK app's `NodejsFunction`s take the
 * same entry, format, target, banner and assets, so what the tests start is what AWS runs.
 *
 * Entries are named by path: infra/ never imports handler code.
 */
import type { AwsService } from '../shared/aws/aws-connection.js';
import type { QUEUES } from '../shared/aws/resources.js';

export type LambdaId = 'detector' | 'notifier' | 'digest' | 'autoscaler';

export interface LambdaBundle {
  readonly id: LambdaId;
  /** Handler entry file, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** Sized from the benchmarks (see README "Results"). */
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** NODE_OPTIONS for the function (the detector's heap flags from bench:detector). */
  readonly nodeOptions?: string;
  /** Files copied from node_modules into `assets/` beside the bundle (package paths). */
  readonly assets: readonly { readonly name: string; readonly packagePath: string }[];
  /** The AWS services the function builds clients for (no others: the detector has no S3 client). */
  readonly services?: readonly AwsService[];
  /**
   * Its on-failure queue: the event source mapping's destination, and where the handler itself sends
   * each poison record (SendMessage after GetQueueUrl by name: `grantSendMessages`). The function reads
   * the queue's name from `STOCKALERT_<DETECTOR|NOTIFIER>_FAILURE_QUEUE` (a queue URL works too).
   */
  readonly failureQueue?: keyof typeof QUEUES;
  /**
   * Env variables that name Secrets Manager secrets (ARN or name) the function reads through
   * Powertools Parameters, cached `STOCKALERT_SECRETS_MAX_AGE_SECONDS` (300): `grantRead` on each.
   */
  readonly secretEnv?: readonly string[];
}

/** esbuild settings shared by every function: ESM for Node 22 on arm64, everything bundled. */
export const LAMBDA_ESBUILD = {
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  // CommonJS dependencies inside an ESM bundle still call require().
  banner:
    "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  // Never in a Lambda bundle: the embedded emulators are for laptops and tests.
  external: [] as string[],
  outExtension: '.mjs',
  // The ESM build of packages that ship both (the AWS SDK): it tree-shakes (NodejsFunction: `mainFields`).
  mainFields: ['module', 'main'],
} as const;

/** Modules that must never appear in a bundle (checked by the bundle test). */
export const NEVER_BUNDLED = ['dynalite', 'kinesalite', 's3rver'] as const;

/**
 * What the chart renderer loads at run time (pipeline/notify/chart/chart-assets.ts lists the same files
 * and reads them from `assets/` beside a bundle); every function that draws charts carries them.
 */
const CHART_ASSETS: LambdaBundle['assets'] = [
  { name: 'resvg.wasm', packagePath: '@resvg/resvg-wasm/index_bg.wasm' },
  { name: 'Inter-Regular.ttf', packagePath: '@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf' },
  { name: 'Inter-SemiBold.ttf', packagePath: '@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf' },
];

/**
 * Every function. Owners add their own entry (digest: the digest stage; autoscaler: the shard
 * autoscaler) when the handler exists. Memory and NODE_OPTIONS are revisited from the benchmarks.
 */
export const LAMBDA_BUNDLES: readonly LambdaBundle[] = [
  {
    id: 'detector',
    entry: 'pipeline/detect/lambda.ts',
    memoryMb: 1024,
    timeoutSeconds: 60,
    nodeOptions: '--max-old-space-size=160 --max-semi-space-size=8',
    assets: [],
    services: ['dynamodb', 'kinesis', 'sqs'],
    failureQueue: 'detectorFailures',
  },
  {
    id: 'notifier',
    entry: 'pipeline/notify/lambda.ts',
    memoryMb: 512,
    timeoutSeconds: 60,
    assets: CHART_ASSETS,
    services: ['dynamodb', 'sqs', 'secretsmanager'],
    failureQueue: 'notifierFailures',
    secretEnv: ['DISCORD_BOT_TOKEN_SECRET_ARN', 'SLACK_BOT_TOKEN_SECRET_ARN'],
  },
  {
    id: 'digest',
    entry: 'pipeline/digest/lambda.ts',
    // One chart per channel plus a day of minute bars per symbol; charts render in about 25–80 ms.
    memoryMb: 512,
    timeoutSeconds: 120,
    assets: CHART_ASSETS,
    services: ['dynamodb', 'secretsmanager'],
    secretEnv: ['DISCORD_BOT_TOKEN_SECRET_ARN', 'SLACK_BOT_TOKEN_SECRET_ARN'],
  },
  {
    // One DescribeStreamSummary, ListShards, ListTagsForStream and GetMetricData call a tick: no heap to speak of.
    id: 'autoscaler',
    entry: 'pipeline/autoscale/lambda.ts',
    memoryMb: 256,
    timeoutSeconds: 60,
    assets: [],
    services: ['kinesis', 'cloudwatch'],
  },
];
