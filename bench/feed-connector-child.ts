/**
 * The connector's process of `npm run bench:feed`: what `stockalert feed alpaca` runs (the same wiring,
 * under the same tsx loader) plus the bench's timing point, an AWS SDK middleware on the connector's
 * Kinesis client that reads each acknowledged PutRecords call's trades and files the time since the
 * fake sent them (each trade's timestamp is its send time). The parent provisions the stack, seeds the
 * watches and drives the run over IPC, so this process's RSS is the connector's.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import type { PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { createAlpacaConnector } from '../pipeline/feed/feed-wiring.js';
import { createAwsClients } from '../shared/aws/aws-clients.js';
import type { AwsConnection } from '../shared/aws/aws-connection.js';
import type { ResourceNames } from '../shared/aws/resources.js';
import { JsonLinesLogger } from '../shared/log/json-lines-logger.js';
import { decodeTradeRecord } from '../shared/records/trade-record-codec.js';

export interface ConnectorStart {
  readonly connection: AwsConnection;
  readonly names: ResourceNames;
  readonly fake: { readonly keyId: string; readonly secret: string; streamUrl: string; restUrl: string };
  readonly flushEveryMs: number;
  readonly flushTurns: number;
  readonly archive: boolean;
}

/** What the connector's process measured over the run. */
export interface ConnectorReport {
  readonly receivedTrades: number;
  readonly putTrades: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly reconnects: number;
  readonly tradesBackfilled: number;
  readonly backfillFailures: number;
  readonly peakRssMB: number;
  readonly baselineRssMB: number;
  readonly peakHeapUsedMB: number;
  readonly peakExternalMB: number;
  readonly cpuSeconds: number;
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
  readonly putCallP50Ms: number;
  readonly putCallP99Ms: number;
  /** Now minus the last trade's send time, sampled every 100 ms: how far behind the socket reading is. */
  readonly arrivalLagP50Ms: number;
  readonly arrivalLagP99Ms: number;
}

const send = (message: unknown) => process.send?.(message);
const MB = 2 ** 20;

function percentileOf(histogram: ArrayLike<number>, p: number): number {
  let total = 0;
  for (let i = 0; i < histogram.length; i += 1) total += histogram[i] ?? 0;
  let seen = 0;
  for (let i = 0; i < histogram.length; i += 1) {
    seen += histogram[i] ?? 0;
    if (seen >= total * p && seen > 0) return i;
  }
  return histogram.length;
}

async function run(start: ConnectorStart): Promise<void> {
  const clients = createAwsClients(start.connection);
  const latencies = new Uint32Array(120_000);
  const putCalls = new Uint32Array(60_000);
  let putTrades = 0;
  clients.kinesis.middlewareStack.add(
    (next) => async (args) => {
      const sentAt = Date.now();
      const result = await next(args);
      const input = args.input as { Records?: { Data?: Uint8Array }[] };
      const output = result.output as PutRecordsCommandOutput;
      if (input.Records && output.Records) {
        const now = Date.now();
        const call = Math.min(putCalls.length - 1, now - sentAt);
        putCalls[call] = (putCalls[call] ?? 0) + 1;
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
  // Warnings and errors to the bench's stderr; the info lines (metrics every 10 s) are dropped.
  const logger = new JsonLinesLogger(
    new Writable({
      write(chunk, _encoding, callback) {
        process.stderr.write(chunk);
        callback();
      },
    }),
    'warn',
  );
  const connector = await createAlpacaConnector({
    clients,
    names: start.names,
    logger,
    settings: {
      keys: { keyId: start.fake.keyId, secret: start.fake.secret },
      feed: 'sip',
      maxTradeSymbols: undefined,
      allBars: false,
      archive: start.archive,
      streamUrl: start.fake.streamUrl,
      dataUrl: start.fake.restUrl,
    },
    timings: { flushEveryMs: start.flushEveryMs, flushTurns: start.flushTurns },
  });
  await connector.start();
  const baselineRssMB = Math.round(process.memoryUsage().rss / MB);
  let peakHeapUsed = 0;
  let peakExternal = 0;
  const arrivalLags = new Uint32Array(60_000);
  let sending = true;
  const sampler = setInterval(() => {
    const lag = connector.snapshot().feedLagMs;
    if (lag !== undefined && sending) {
      const ms = Math.max(0, Math.min(arrivalLags.length - 1, lag));
      arrivalLags[ms] = (arrivalLags[ms] ?? 0) + 1;
    }
    const usage = process.memoryUsage();
    peakHeapUsed = Math.max(peakHeapUsed, usage.heapUsed);
    peakExternal = Math.max(peakExternal, usage.external);
  }, 100);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuBefore = process.cpuUsage();
  send({ started: true });

  const [sentTrades] = await new Promise<[number]>((resolve) =>
    process.on('message', (message: { drain?: number }) => {
      if (message.drain === undefined) return;
      sending = false;
      resolve([message.drain]);
    }),
  );
  // Trades still in the socket are not in hand yet: let them arrive (bounded) before Ctrl-C's flush.
  const drainUntil = Date.now() + 60_000;
  while (connector.snapshot().tradesWritten < sentTrades && Date.now() < drainUntil) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await connector.stop();
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  loopDelay.disable();
  const snapshot = connector.snapshot();
  const report: ConnectorReport = {
    receivedTrades: snapshot.tradesWritten,
    putTrades,
    p50Ms: percentileOf(latencies, 0.5),
    p99Ms: percentileOf(latencies, 0.99),
    maxMs: percentileOf(latencies, 1),
    reconnects: snapshot.reconnects,
    tradesBackfilled: snapshot.tradesBackfilled,
    backfillFailures: snapshot.backfillFailures,
    // The kernel's high-water mark of this process's resident set, start-up included.
    peakRssMB: Math.round((process.resourceUsage().maxRSS * 1024) / MB),
    baselineRssMB,
    peakHeapUsedMB: Math.round(peakHeapUsed / MB),
    peakExternalMB: Math.round(peakExternal / MB),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    eventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e6),
    eventLoopDelayMaxMs: Math.round(loopDelay.max / 1e6),
    putCallP50Ms: percentileOf(putCalls, 0.5),
    putCallP99Ms: percentileOf(putCalls, 0.99),
    arrivalLagP50Ms: percentileOf(arrivalLags, 0.5),
    arrivalLagP99Ms: percentileOf(arrivalLags, 0.99),
  };
  send({ report });
  clients.destroy();
  process.disconnect();
}

process.once('message', (message: { start?: ConnectorStart }) => {
  if (message.start) void run(message.start);
});
