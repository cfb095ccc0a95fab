import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BuiltBundle, buildLambdaBundles } from '../../infra/build-lambda-bundles.js';
import { LAMBDA_BUNDLES, type LambdaId } from '../../infra/lambda-bundles.js';
import { resourceNamesToEnv } from '../../shared/config/aws-env.js';
import { FakeAwsJson } from '../fakes/fake-aws-json.js';
import { FakeDiscord } from '../fakes/fake-discord.js';
import { startTestAws, type TestAws } from './embedded-aws.js';

const run = promisify(execFile);

/** Built Lambda artefacts in a temp folder outside the repository, so no node_modules can rescue them. */
export interface LambdaArtefacts {
  readonly dir: string;
  readonly bundles: ReadonlyMap<LambdaId, BuiltBundle>;
  remove(): Promise<void>;
}

/** Builds the named functions (as `npm run bundle` does) into a fresh folder under the OS temp dir. */
export async function buildArtefacts(ids: readonly LambdaId[]): Promise<LambdaArtefacts> {
  const dir = await mkdtemp(join(tmpdir(), 'stockalert-lambda-'));
  const built = await buildLambdaBundles({ outDir: dir, only: ids });
  return {
    dir,
    bundles: new Map(built.map((bundle) => [bundle.id, bundle])),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** What the artefact tests run against: the embedded stack, the fakes of the rest, and the built functions. */
export interface ArtefactWorld {
  readonly aws: TestAws;
  readonly discord: FakeDiscord;
  /** SQS, Secrets Manager and CloudWatch (see fake-aws-json.ts). */
  readonly fakeAws: FakeAwsJson;
  readonly artefacts: LambdaArtefacts;
  /** The built bundle of `id`; throws if it was not among the ids built. */
  bundle(id: LambdaId): BuiltBundle;
  stop(): Promise<void>;
}

/** Starts the embedded stack and the fakes while `ids` build. */
export async function startArtefactWorld(ids: readonly LambdaId[]): Promise<ArtefactWorld> {
  const [aws, discord, fakeAws, artefacts] = await Promise.all([
    startTestAws(),
    FakeDiscord.start(),
    FakeAwsJson.start(),
    buildArtefacts(ids),
  ]);
  return {
    aws,
    discord,
    fakeAws,
    artefacts,
    bundle(id) {
      const built = artefacts.bundles.get(id);
      if (built === undefined) throw new Error(`${id} was not built`);
      return built;
    },
    async stop() {
      await Promise.all([aws.stop(), discord.stop(), fakeAws.close(), artefacts.remove()]);
    },
  };
}

export interface ArtefactRun<R> {
  /** What `handler` returned, per event. */
  readonly results: R[];
  /** JSON lines of stdout, then of stderr (Powertools logs, EMF metrics): what CloudWatch would hold. */
  readonly logs: Record<string, unknown>[];
  readonly stderr: string;
}

/**
 * The environment a function gets from the CDK app, pointed at the embedded stack: resource names,
 * per-service endpoints (`AWS_ENDPOINT_URL_<SERVICE>`), the stack's generated credentials.
 */
export function lambdaEnvFor(
  aws: TestAws,
  id: LambdaId,
  extra: Record<string, string> = {},
): Record<string, string> {
  const { names } = aws;
  const { endpoints } = aws.connection;
  return {
    AWS_REGION: aws.connection.region,
    // The stack's own key pair: its ports refuse any other.
    AWS_ACCESS_KEY_ID: aws.connection.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.connection.credentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_NAME: `stockalert-${id}`,
    // As Lambda sets it for on-demand environments; Powertools reports cold starts only then.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_KINESIS: endpoints.kinesis,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    ...resourceNamesToEnv(names),
    ...extra,
  };
}

// Runs beside the bundle: imports it as Lambda's runtime does and calls `handler` once per event.
// With a clock start (argv[4], epoch ms), Date runs from that instant: the invocation happens "then".
const INVOKE = `
import { readFile, writeFile } from 'node:fs/promises';
if (process.argv[4] !== undefined) {
  const RealDate = Date;
  const offset = Number(process.argv[4]) - RealDate.now();
  globalThis.Date = class extends RealDate {
    constructor(...args) { if (args.length === 0) super(RealDate.now() + offset); else super(...args); }
    static now() { return RealDate.now() + offset; }
  };
}
const { handler } = await import('./index.mjs');
const events = JSON.parse(await readFile(process.argv[2], 'utf8'));
const results = [];
for (const [i, event] of events.entries()) {
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:' + process.env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: '512', awsRequestId: 'request-' + i, logGroupName: '/aws/lambda/test', logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 60000,
    done() {}, fail() {}, succeed() {},
  };
  results.push(await handler(event, context));
}
await writeFile(process.argv[3], JSON.stringify(results));
process.exit(0);
`;

/**
 * Starts a built artefact under plain `node` (no tsx, no vitest transform), with only `env` (plus
 * PATH) and the function's NODE_OPTIONS, cwd in the artefact folder, and invokes its `handler` once
 * per event, in one process (so the first invocation is the cold start). `clockAt` (epoch ms) starts
 * the process's clock at that instant, for a scheduled function that reads the time itself.
 */
export async function invokeArtefact<R = unknown>(
  bundle: BuiltBundle,
  events: readonly unknown[],
  env: Record<string, string>,
  options: { readonly clockAt?: number } = {},
): Promise<ArtefactRun<R>> {
  const runner = join(bundle.dir, 'invoke.mjs');
  const eventsFile = join(bundle.dir, 'events.json');
  const resultsFile = join(bundle.dir, 'results.json');
  await writeFile(runner, INVOKE);
  await writeFile(eventsFile, JSON.stringify(events));
  await rm(resultsFile, { force: true });
  const nodeOptions = LAMBDA_BUNDLES.find((definition) => definition.id === bundle.id)?.nodeOptions;
  const clock = options.clockAt === undefined ? [] : [String(options.clockAt)];
  const output = await run(process.execPath, [runner, eventsFile, resultsFile, ...clock], {
    cwd: bundle.dir,
    env: { PATH: process.env.PATH ?? '', ...(nodeOptions && { NODE_OPTIONS: nodeOptions }), ...env },
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(
      `${bundle.id} artefact failed: ${error.message}\n${error.stderr ?? ''}\n${error.stdout ?? ''}`,
    );
  });
  return {
    results: JSON.parse(await readFile(resultsFile, 'utf8')) as R[],
    logs: `${output.stdout}\n${output.stderr}`
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>),
    stderr: output.stderr,
  };
}
