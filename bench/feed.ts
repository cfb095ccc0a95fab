/**
 * `npm run bench:feed`: the fake Alpaca stream at 50,000 trades/s over 500 symbols for 60 s, through the
 * real connector (official SDK over a socket, gap backfill, condition filter, the producer's packer and
 * ordered sender, the hourly archive) into kinesalite. Latency is measured per trade from the fake's
 * send (the trade's own timestamp is its send time) to the acknowledgement of the PutRecords call that
 * carried it, by an AWS SDK middleware on the connector's Kinesis client. Four processes: this one
 * provisions the stack, seeds the watches and drives the run; the fake and the embedded stack run in
 * bench/feed-children.ts; the connector runs alone in bench/feed-connector-child.ts, so `peakRssMB` is
 * the connector's process. Writes bench/results/feed.json. `npm run bench:feed -- --seconds 10` runs a
 * shorter check.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { build } from 'esbuild';
import { FEED_NODE_FLAGS } from '../infra/feed-node-flags.js';
import { SERVICE_BUILD } from '../infra/service-bundle.js';
import { createAwsClients } from '../shared/aws/aws-clients.js';
import type { AwsConnection } from '../shared/aws/aws-connection.js';
import { DynamoWatchRepository } from '../shared/aws/dynamo-watch-repository.js';
import { provisionResources } from '../shared/aws/provision-resources.js';
import { DEFAULT_RESOURCE_NAMES } from '../shared/aws/resources.js';
import type { Watch } from '../shared/domain/watch.js';
import type { FeedRun } from './feed-children.js';
import type { ConnectorReport, ConnectorStart } from './feed-connector-child.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const RESULTS = fileURLToPath(new URL('./results/feed.json', import.meta.url));
const CHILDREN = fileURLToPath(new URL('./feed-children.ts', import.meta.url));
const CONNECTOR_SOURCE = fileURLToPath(new URL('./feed-connector-child.ts', import.meta.url));
const CONNECTOR = fileURLToPath(new URL('./results/feed-connector-child.mjs', import.meta.url));
const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 60;
const ARCHIVE = !process.argv.includes('--no-archive');
const flushArg = process.argv.indexOf('--flush-ms');
const FLUSH_MS = flushArg > 0 ? Number(process.argv[flushArg + 1]) : 100;
const turnsArg = process.argv.indexOf('--turns');
const FLUSH_TURNS = turnsArg > 0 ? Number(process.argv[turnsArg + 1]) : 4;
const RATE = 50_000;
const SYMBOLS = 500;
/**
 * 500 symbols each trading 100 times a second, packed every 100 ms, make 5,000 records/s; a shard takes
 * 1,000. The stream gets the shards that load needs, with headroom, as the CDK app would size it.
 */
const SHARDS = 8;

/** `--cpu-prof` / `--heap-prof` profile the connector's process into bench/results/profiles/. */
const PROFILE = ['--cpu-prof', '--heap-prof'].filter((flag) => process.argv.includes(flag));
const PROFILE_DIR = fileURLToPath(new URL('./results/profiles/', import.meta.url));
/**
 * `--semi-space MB` overrides the young-generation cap of the connector's process; by default it runs with the
 * feed task's Node flags (FEED_NODE_FLAGS), as on Fargate. `--semi-space 0` runs it without a cap.
 */
const semiArg = process.argv.indexOf('--semi-space');
const semiSpaceMB = semiArg > 0 ? Number(process.argv[semiArg + 1]) : undefined;
const SEMI_SPACE =
  semiSpaceMB === undefined
    ? [...FEED_NODE_FLAGS]
    : semiSpaceMB > 0
      ? [`--max-semi-space-size=${semiSpaceMB}`]
      : [];

function child(role: 'aws' | 'fake' | 'connector'): ChildProcess {
  const profile =
    role === 'connector' && PROFILE.length > 0
      ? [...PROFILE, ...PROFILE.map((flag) => `${flag}-dir=${PROFILE_DIR}`)]
      : [];
  // The connector runs as the Fargate task runs it (Dockerfile): compiled by esbuild, under plain node.
  return fork(role === 'connector' ? CONNECTOR : CHILDREN, [role], {
    execArgv:
      role === 'connector' ? ['--enable-source-maps', ...SEMI_SPACE, ...profile] : ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

async function reply<T>(
  process: ChildProcess,
  pick: (message: Record<string, unknown>) => T | undefined,
): Promise<T> {
  for (;;) {
    const [message] = (await once(process, 'message')) as [Record<string, unknown>];
    const value = pick(message);
    if (value !== undefined) return value;
  }
}

/**
 * Compiles the connector's process with the services' build options (infra/service-bundle.ts, what the
 * Dockerfile runs): npm packages external, one file (the connector child has no lazy imports to split).
 */
async function buildConnector(): Promise<void> {
  const { outExtension: _, ...options } = SERVICE_BUILD;
  await build({ ...options, splitting: false, entryPoints: [CONNECTOR_SOURCE], outfile: CONNECTOR });
}

async function main(): Promise<void> {
  await buildConnector();
  const awsChild = child('aws');
  const fakeChild = child('fake');
  const connectorChild = child('connector');
  try {
    const connection = await reply(awsChild, (m) => m.connection as AwsConnection | undefined);
    const fake = await reply(fakeChild, (m) =>
      m.streamUrl ? (m as unknown as ConnectorStart['fake']) : undefined,
    );
    const clients = createAwsClients(connection);
    const names = { ...DEFAULT_RESOURCE_NAMES };
    await provisionResources(clients, names);
    names.tradesStream = `bench-trades-${Date.now()}`;
    await clients.kinesis.send(
      new CreateStreamCommand({ StreamName: names.tradesStream, ShardCount: SHARDS }),
    );
    for (;;) {
      const summary = await clients.kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: names.tradesStream }),
      );
      if (summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(3, '0')}`);
    const watches = new DynamoWatchRepository(clients.dynamo, names.watchesTable);
    for (let i = 0; i < symbols.length; i += 25) {
      await Promise.all(symbols.slice(i, i + 25).map((symbol) => watches.put(aWatch(symbol))));
    }
    const start: ConnectorStart = {
      connection,
      names,
      fake,
      flushEveryMs: FLUSH_MS,
      flushTurns: FLUSH_TURNS,
      archive: ARCHIVE,
    };
    connectorChild.send({ start });
    await reply(connectorChild, (m) => m.started as true | undefined);
    for (;;) {
      fakeChild.send({ subscribed: true });
      if ((await reply(fakeChild, (m) => m.subscribed as number | undefined)) >= SYMBOLS) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const startedAt = Date.now();
    const run: FeedRun = { seconds: SECONDS, rate: RATE, symbols };
    fakeChild.send({ run });
    const sentTrades = await reply(fakeChild, (m) => m.sentTrades as number | undefined);
    const sendSeconds = (Date.now() - startedAt) / 1000;
    connectorChild.send({ drain: sentTrades });
    const report = await reply(connectorChild, (m) => m.report as ConnectorReport | undefined);
    const busySeconds = (Date.now() - startedAt) / 1000;
    const result = {
      seconds: SECONDS,
      symbols: SYMBOLS,
      targetTradesPerSec: RATE,
      shards: SHARDS,
      archive: ARCHIVE,
      flushEveryMs: FLUSH_MS,
      flushTurns: FLUSH_TURNS,
      connectorNodeFlags: SEMI_SPACE.join(' '),
      sentTrades,
      receivedTrades: report.receivedTrades,
      putTrades: report.putTrades,
      dropped: sentTrades - report.putTrades,
      // A reconnect under load (a pong later than 5 s) means part of the run came through the backfill.
      reconnects: report.reconnects,
      tradesBackfilled: report.tradesBackfilled,
      backfillFailures: report.backfillFailures,
      tradesPerSec: Math.round(sentTrades / sendSeconds),
      p50Ms: report.p50Ms,
      p99Ms: report.p99Ms,
      maxMs: report.maxMs,
      // The connector's process: its kernel high-water mark, and its RSS once subscribed, before any trade.
      peakRssMB: report.peakRssMB,
      baselineRssMB: report.baselineRssMB,
      peakHeapUsedMB: report.peakHeapUsedMB,
      peakExternalMB: report.peakExternalMB,
      // CPU time of the connector's process over the run, as a share of one core: near 100 means it was
      // bound by its own work, far below with a high load average means it waited for a core.
      connectorCpuPctOfOneCore: Math.round((report.cpuSeconds / busySeconds) * 100),
      eventLoopDelayP99Ms: report.eventLoopDelayP99Ms,
      eventLoopDelayMaxMs: report.eventLoopDelayMaxMs,
      putCallP50Ms: report.putCallP50Ms,
      putCallP99Ms: report.putCallP99Ms,
      arrivalLagP50Ms: report.arrivalLagP50Ms,
      arrivalLagP99Ms: report.arrivalLagP99Ms,
      // The machine's load during the run: latency on an oversubscribed host is mostly waiting for a core.
      loadAverage1m: Number(loadavg()[0]?.toFixed(1)),
      cpus: cpus().length,
    };
    console.table(result);
    await mkdir(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    clients.destroy();
  } finally {
    awsChild.disconnect();
    fakeChild.disconnect();
    if (connectorChild.connected) connectorChild.disconnect();
  }
}

/** One user's watch of `symbol`, as /watch would write it. */
function aWatch(symbol: string): Watch {
  return {
    userKey: 'console:you',
    symbol,
    thresholdPct: 3,
    window: '15m',
    direction: 'both',
    hours: 'all',
    createdAt: Date.parse('2024-03-05T14:00:00Z'),
  };
}

await main();
