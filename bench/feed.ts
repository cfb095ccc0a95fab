/**
 * `npm run bench:feed`: the fake Alpaca stream at 50,000 trades/s over 500 symbols for 60 s, through the
 * real connector (official SDK over a socket, gap backfill, condition filter, the producer's packer and
 * ordered sender, the hourly archive) into kinesalite. Latency is measured per trade from the fake's
 * send (the trade's own timestamp is its send time) to the acknowledgement of the PutRecords call that
 * carried it, by an AWS SDK middleware on the connector's Kinesis client. The fake and the embedded
 * stack run in child processes (bench/feed-children.ts), so `peakRssMB` is the connector's process.
 * Writes bench/results/feed.json. `npm run bench:feed -- --seconds 10` runs a shorter check.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type PutRecordsCommandOutput,
} from '@aws-sdk/client-kinesis';
import { createAlpacaConnector } from '../pipeline/feed/feed-wiring.js';
import { createAwsClients } from '../shared/aws/aws-clients.js';
import type { AwsConnection } from '../shared/aws/aws-connection.js';
import { DynamoWatchRepository } from '../shared/aws/dynamo-watch-repository.js';
import { provisionResources } from '../shared/aws/provision-resources.js';
import { DEFAULT_RESOURCE_NAMES } from '../shared/aws/resources.js';
import { decodeTradeRecord } from '../shared/records/trade-record-codec.js';
import { aWatch } from '../test/helpers/feed.js';
import { memoryLogger } from '../test/helpers/local-pipeline-harness.js';
import type { FeedRun } from './feed-children.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const RESULTS = fileURLToPath(new URL('./results/feed.json', import.meta.url));
const CHILDREN = fileURLToPath(new URL('./feed-children.ts', import.meta.url));
const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 60;
const ARCHIVE = !process.argv.includes('--no-archive');
const flushArg = process.argv.indexOf('--flush-ms');
const FLUSH_MS = flushArg > 0 ? Number(process.argv[flushArg + 1]) : 100;
const RATE = 50_000;
const SYMBOLS = 500;
/**
 * 500 symbols each trading 100 times a second, packed every 100 ms, make 5,000 records/s; a shard takes
 * 1,000. The stream gets the shards that load needs, with headroom, as the CDK app would size it.
 */
const SHARDS = 8;

function child(role: 'aws' | 'fake'): ChildProcess {
  return fork(CHILDREN, [role], {
    execArgv: ['--import', 'tsx'],
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

async function main(): Promise<void> {
  const awsChild = child('aws');
  const fakeChild = child('fake');
  const latencies = new Uint32Array(120_000);
  let putTrades = 0;
  let peakRss = 0;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  try {
    const connection = await reply(awsChild, (m) => m.connection as AwsConnection | undefined);
    const fake = await reply(fakeChild, (m) =>
      m.streamUrl ? (m as { keyId: string; secret: string; streamUrl: string; restUrl: string }) : undefined,
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
    clients.kinesis.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const input = args.input as { Records?: { Data?: Uint8Array }[] };
        const output = result.output as PutRecordsCommandOutput;
        if (input.Records && output.Records) {
          const now = Date.now();
          input.Records.forEach((record, i) => {
            if (output.Records?.[i]?.ErrorCode !== undefined || record.Data === undefined) return;
            for (const trade of decodeTradeRecord(record.Data)) {
              putTrades += 1;
              const ms = Math.max(0, Math.min(latencies.length - 1, now - trade.ts));
              latencies[ms] = (latencies[ms] ?? 0) + 1;
            }
          });
        }
        return result;
      },
      { step: 'initialize', name: 'feedBenchLatency' },
    );
    const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(3, '0')}`);
    const watches = new DynamoWatchRepository(clients.dynamo, names.watchesTable);
    for (let i = 0; i < symbols.length; i += 25) {
      await Promise.all(symbols.slice(i, i + 25).map((symbol) => watches.put(aWatch({ symbol }))));
    }
    const { logger } = memoryLogger();
    const connector = await createAlpacaConnector({
      clients,
      names,
      logger,
      settings: {
        keys: { keyId: fake.keyId, secret: fake.secret },
        feed: 'sip',
        maxTradeSymbols: undefined,
        allBars: false,
        archive: ARCHIVE,
        streamUrl: fake.streamUrl,
        dataUrl: fake.restUrl,
      },
      timings: { flushEveryMs: FLUSH_MS },
    });
    await connector.start();
    for (;;) {
      fakeChild.send({ subscribed: true });
      if ((await reply(fakeChild, (m) => m.subscribed as number | undefined)) >= SYMBOLS) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const baselineRssMB = Math.round(process.memoryUsage().rss / 2 ** 20);

    const startedAt = Date.now();
    const cpuBefore = process.cpuUsage();
    const run: FeedRun = { seconds: SECONDS, rate: RATE, symbols };
    fakeChild.send({ run });
    const sentTrades = await reply(fakeChild, (m) => m.sentTrades as number | undefined);
    const sendSeconds = (Date.now() - startedAt) / 1000;
    // Trades still in the socket are not in hand yet: let them arrive (bounded) before Ctrl-C's flush.
    const drainUntil = Date.now() + 60_000;
    while (connector.snapshot().tradesWritten < sentTrades && Date.now() < drainUntil) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await connector.stop();
    const cpu = process.cpuUsage(cpuBefore);
    const busySeconds = (Date.now() - startedAt) / 1000;
    const total = latencies.reduce((a, b) => a + b, 0);
    const percentile = (p: number) => {
      let seen = 0;
      for (let ms = 0; ms < latencies.length; ms += 1) {
        seen += latencies[ms] ?? 0;
        if (seen >= total * p) return ms;
      }
      return latencies.length;
    };
    const result = {
      seconds: SECONDS,
      symbols: SYMBOLS,
      targetTradesPerSec: RATE,
      shards: SHARDS,
      archive: ARCHIVE,
      flushEveryMs: FLUSH_MS,
      sentTrades,
      receivedTrades: connector.snapshot().tradesWritten,
      putTrades,
      dropped: sentTrades - putTrades,
      // A reconnect under load (a pong later than 5 s) means part of the run came through the backfill.
      reconnects: connector.snapshot().reconnects,
      tradesBackfilled: connector.snapshot().tradesBackfilled,
      backfillFailures: connector.snapshot().backfillFailures,
      tradesPerSec: Math.round(sentTrades / sendSeconds),
      p50Ms: percentile(0.5),
      p99Ms: percentile(0.99),
      maxMs: percentile(1),
      peakRssMB: Math.round(peakRss / 2 ** 20),
      baselineRssMB,
      // CPU time of the connector's process over the run, as a share of one core: near 100 means it was
      // bound by its own work, far below with a high load average means it waited for a core.
      connectorCpuPctOfOneCore: Math.round(((cpu.user + cpu.system) / 1e6 / busySeconds) * 100),
      // The machine's load during the run: latency on an oversubscribed host is mostly waiting for a core.
      loadAverage1m: Number(loadavg()[0]?.toFixed(1)),
      cpus: cpus().length,
    };
    console.table(result);
    await mkdir(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    clients.destroy();
  } finally {
    clearInterval(rssTimer);
    awsChild.disconnect();
    fakeChild.disconnect();
  }
}

await main();
