/**
 * The market-scale scenarios of `npm run bench:detector`, each run in its own child process so its peak
 * RSS is its own (`tsx bench/detector-market-scale.ts <scenario> <symbols>`; add `--cpu-prof` to node
 * for a profile of the timed part).
 *
 * - `session`: `symbols` symbols with Zipf-distributed trade rates (s = 1: the top symbol trades 10 % of
 *   the market at 10,000 symbols), random-walk prices, a watch on each of the five windows for one symbol
 *   in ten. An untimed hour of one trade per symbol every 10 s warms the windows; then, timed, a session of
 *   `quiet` (about 2 trades a record, a live feed on a quiet day) or `busy` (about 150 trades a record)
 *   seconds, packed as the producer packs a paced replay — the real TradePacker, binary v2, every
 *   buffer flushed each second — and fed through the real detector handler in batches of the detector
 *   event source's batch size.
 * - `junk`: 200,000 distinct unwatched symbols, one trade each, through the handler: what the detector
 *   keeps (tracked symbols, live heap after a GC).
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { seededRandom } from '../pipeline/demo/seeded-random.js';
import { createDetectorHandler, newDetectorStats } from '../pipeline/detect/detector-handler.js';
import { MoveDetector } from '../pipeline/detect/move-detector.js';
import { WatcherCache } from '../pipeline/detect/watcher-cache.js';
import { type PackedRecord, TradePacker } from '../pipeline/producer/trade-packer.js';
import { toKinesisEventRecord } from '../pipeline/runner/to-kinesis-event-record.js';
import { DETECTOR_EVENT_SOURCE } from '../shared/aws/event-source-settings.js';
import type { Alert } from '../shared/domain/alert.js';
import type { Watch } from '../shared/domain/watch.js';
import { WINDOWS } from '../shared/domain/window.js';
import { CountingQuoteStore, countingAlertPorts, silentLogger } from './detector-ports.js';

export type MarketScaleMode = 'quiet' | 'busy';

export interface MarketScaleResult {
  readonly mode: MarketScaleMode;
  readonly symbols: number;
  readonly trades: number;
  readonly records: number;
  readonly batches: number;
  readonly tradesPerRecord: number;
  /** Per CPU-second of the process (the machine is shared, so wall time also counts other work). */
  readonly tradesPerSec: number;
  /** CPU time per record. */
  readonly microsPerRecord: number;
  readonly wallTradesPerSec: number;
  readonly wallMicrosPerRecord: number;
  readonly alerts: number;
  readonly trackedSymbols: number;
  readonly peakRssMB: number;
  readonly liveHeapAfterGcMB: number;
  readonly cpuSeconds: number;
  readonly seconds: number;
}

export interface JunkResult {
  readonly junkSymbols: number;
  readonly trackedSymbols: number;
  readonly liveHeapAfterGcMB: number;
  readonly peakRssMB: number;
}

const SESSION_START = Date.parse('2024-03-05T14:30:00Z');
const WARMUP_MS = 3_600_000;
const WARMUP_STEP_MS = 30_000;
/** Symbols the warm-up touches between drains of the quotes: a batch's worth, DETECTOR_EVENT_SOURCE's. */
const WARMUP_DRAIN_EVERY = DETECTOR_EVENT_SOURCE.batchSize;
/** Trades a record the market's rate is set for, by mode. */
const TRADES_PER_RECORD: Record<MarketScaleMode, number> = { quiet: 2, busy: 150 };
/** Records a session lasts for, by mode: enough for a stable per-record figure, a few seconds of CPU. */
const SESSION_RECORDS: Record<MarketScaleMode, number> = { quiet: 200_000, busy: 30_000 };

function poisson(mean: number, random: () => number): number {
  if (mean > 30) {
    // Normal approximation (Box–Muller): exact enough for a load shape.
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let count = 0;
  for (let p = random(); p > limit; p *= random()) count += 1;
  return count;
}

function symbolName(index: number): string {
  return `S${index.toString(36).toUpperCase().padStart(4, '0')}`;
}

function watchesFor(symbols: readonly string[]): Map<string, Watch[]> {
  const watches = new Map<string, Watch[]>();
  symbols.forEach((symbol, index) => {
    if (index % 10 !== 0) return;
    watches.set(
      symbol,
      WINDOWS.map((window, w) => ({
        userKey: `bench:${symbol}:${w}`,
        symbol,
        thresholdPct: 0.5 + w * 0.5,
        window,
        direction: 'both',
        hours: 'all',
        createdAt: 0,
      })),
    );
  });
  return watches;
}

function toEventRecord(packed: PackedRecord, index: number, arrivalMs: number): KinesisStreamRecord {
  return toKinesisEventRecord(
    {
      SequenceNumber: String(49_000_000_000_000_000_000n + BigInt(index)),
      PartitionKey: packed.partitionKey,
      Data: packed.data,
      ApproximateArrivalTimestamp: new Date(arrivalMs),
    },
    'shardId-000000000000',
    { streamName: 'stockalert-trades', region: 'us-east-1', accountId: '000000000000' },
  );
}

function toEvents(records: readonly KinesisStreamRecord[]): KinesisStreamEvent[] {
  const events: KinesisStreamEvent[] = [];
  for (let i = 0; i < records.length; i += DETECTOR_EVENT_SOURCE.batchSize) {
    events.push({ Records: records.slice(i, i + DETECTOR_EVENT_SOURCE.batchSize) });
  }
  return events;
}

/** The session's records: per simulated second, Poisson trade counts per symbol, flushed each second. */
function sessionRecords(
  symbols: readonly string[],
  mode: MarketScaleMode,
  prices: number[],
  random: () => number,
) {
  const weights = symbols.map((_, rank) => 1 / (rank + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => w / total);
  // With 1-second records, a symbol with a mean of m trades a second fills a record with probability
  // 1 − e^−m: pick the market's rate for the mode's trades a record, by bisection.
  const recordsPerSecond = (rate: number) =>
    shares.reduce((sum, share) => sum + 1 - Math.exp(-share * rate), 0);
  let low = 0;
  let high = TRADES_PER_RECORD[mode] * symbols.length * 4;
  for (let i = 0; i < 60; i += 1) {
    const rate = (low + high) / 2;
    if (rate / recordsPerSecond(rate) < TRADES_PER_RECORD[mode]) low = rate;
    else high = rate;
  }
  const means = shares.map((share) => share * low);
  const sessionSeconds = Math.ceil(SESSION_RECORDS[mode] / recordsPerSecond(low));
  const packer = new TradePacker('binary');
  const records: KinesisStreamRecord[] = [];
  let trades = 0;
  let line = 0;
  for (let second = 0; second < sessionSeconds; second += 1) {
    const secondStart = SESSION_START + WARMUP_MS + second * 1_000;
    for (let s = 0; s < symbols.length; s += 1) {
      const count = poisson(means[s] as number, random);
      const symbol = symbols[s] as string;
      for (let k = 0; k < count; k += 1) {
        const price = (prices[s] as number) * (1 + (random() - 0.5) * 0.002);
        prices[s] = price;
        const ts = secondStart + Math.floor((k * 1_000) / count);
        line += 1;
        const full = packer.add({ symbol, price: Math.round(price * 100) / 100, size: 100, ts }, line);
        if (full) records.push(toEventRecord(full, records.length, secondStart + 1_000));
      }
      trades += count;
    }
    for (const packed of packer.drain())
      records.push(toEventRecord(packed, records.length, secondStart + 1_000));
  }
  return { records, trades };
}

/** `--profile DIR`: a CPU profile of the timed part only (the warm-up and packing would drown it). */
const profileAt = process.argv.indexOf('--profile');
const profileDir = profileAt < 0 ? undefined : process.argv[profileAt + 1];

async function startProfiler() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stopInto(file: string) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

export async function runSession(symbolCount: number, mode: MarketScaleMode): Promise<MarketScaleResult> {
  const random = seededRandom(20_240_305 + symbolCount);
  const symbols = Array.from({ length: symbolCount }, (_, i) => symbolName(i));
  const watches = watchesFor(symbols);
  const noWatches: readonly Watch[] = [];
  const watchersOf = (symbol: string) => watches.get(symbol) ?? noWatches;
  const prices = symbols.map((_, i) => 10 + (i % 490));
  const detector = new MoveDetector({ trackQuotes: true });
  // Warm-up, untimed: an hour of one trade per symbol every 10 s gives the windows their depth.
  const warm: Alert[] = [];
  for (let ts = SESSION_START; ts < SESSION_START + WARMUP_MS; ts += WARMUP_STEP_MS) {
    for (let s = 0; s < symbolCount; s += 1) {
      const price = (prices[s] as number) * (1 + (random() - 0.5) * 0.004);
      prices[s] = price;
      const symbol = symbols[s] as string;
      detector.onTradeInto({ symbol, price, size: 100, ts: ts + s }, watchersOf(symbol), warm);
      // As often as the handler drains (a batch of 100 records touches at most 100 symbols), so that V8
      // learns the snapshots and minute bars are short-lived, as they are on the live path (see
      // docs/architecture.md, "pretenuring").
      if (s % WARMUP_DRAIN_EVERY === WARMUP_DRAIN_EVERY - 1) detector.drainQuotes();
    }
    warm.length = 0;
  }
  detector.drainQuotes();
  const session = sessionRecords(symbols, mode, prices, random);
  const { trades } = session;
  const records = session.records.length;
  let events = toEvents(session.records);
  session.records.length = 0;
  const alertPorts = countingAlertPorts();
  const stats = newDetectorStats();
  const handler = createDetectorHandler({
    stats,
    detector,
    watchers: new WatcherCache({ listBySymbol: async (symbol) => [...watchersOf(symbol)] }, 30_000),
    alerts: alertPorts.alerts,
    publisher: alertPorts.publisher,
    quotes: new CountingQuoteStore(),
    logger: silentLogger,
  });
  const profiler = profileDir === undefined ? undefined : await startProfiler();
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  for (const event of events) {
    const response = await handler(event);
    if (response.batchItemFailures.length > 0) throw new Error('the handler failed a batch');
  }
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const batches = events.length;
  events = [];
  if (stats.poisonRecords > 0 || stats.trades !== trades) {
    throw new Error(
      `the handler took ${stats.trades} of ${trades} trades (${stats.poisonRecords} records diverted)`,
    );
  }
  if (profiler && profileDir) await profiler.stopInto(join(profileDir, `${mode}-${symbolCount}.cpuprofile`));
  return {
    mode,
    symbols: symbolCount,
    trades,
    records,
    batches,
    tradesPerRecord: Number((trades / records).toFixed(2)),
    tradesPerSec: Math.round(trades / cpuSeconds),
    microsPerRecord: Number(((cpuSeconds * 1e6) / records).toFixed(2)),
    wallTradesPerSec: Math.round(trades / seconds),
    wallMicrosPerRecord: Number(((seconds * 1e6) / records).toFixed(2)),
    alerts: alertPorts.recorded(),
    trackedSymbols: detector.trackedSymbols,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    liveHeapAfterGcMB: liveHeapAfterGcMB(),
    cpuSeconds: Number(cpuSeconds.toFixed(3)),
    seconds: Number(seconds.toFixed(3)),
  };
}

/** Heap in use after a full GC (needs --expose-gc): what the detector keeps, plus the harness. */
function liveHeapAfterGcMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  return Math.round((memory.heapUsed + memory.arrayBuffers) / 2 ** 20);
}

/** `maxUnwatchedSymbols` Infinity shows what the detector kept before it had a bound. */
export async function runJunk(junkSymbols: number, maxUnwatchedSymbols?: number): Promise<JunkResult> {
  const detector = new MoveDetector({
    trackQuotes: true,
    ...(maxUnwatchedSymbols === undefined ? {} : { maxUnwatchedSymbols }),
  });
  const stats = newDetectorStats();
  const handler = createDetectorHandler({
    stats,
    detector,
    watchers: new WatcherCache({ listBySymbol: async () => [] }, 30_000),
    ...countingAlertPorts(),
    quotes: new CountingQuoteStore(),
    logger: silentLogger,
  });
  const packer = new TradePacker('binary');
  let records: KinesisStreamRecord[] = [];
  for (let i = 0; i < junkSymbols; i += 1) {
    const ts = SESSION_START + i;
    packer.add({ symbol: `J${symbolName(i)}`, price: 10, size: 1, ts }, i);
    const [packed] = packer.drain();
    records.push(toEventRecord(packed as PackedRecord, i, ts));
    if (records.length === DETECTOR_EVENT_SOURCE.batchSize) {
      await handler({ Records: records });
      records = [];
    }
  }
  if (records.length > 0) await handler({ Records: records });
  if (stats.trades !== junkSymbols)
    throw new Error(`the handler took ${stats.trades} of ${junkSymbols} trades`);
  return {
    junkSymbols,
    trackedSymbols: detector.trackedSymbols,
    liveHeapAfterGcMB: liveHeapAfterGcMB(),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const [scenario, count] = process.argv.slice(2);
if (scenario === 'quiet' || scenario === 'busy') {
  process.stdout.write(`${JSON.stringify(await runSession(Number(count), scenario))}\n`);
} else if (scenario === 'junk') {
  const bound = process.argv[4];
  process.stdout.write(
    `${JSON.stringify(await runJunk(Number(count), bound === undefined ? undefined : Number(bound)))}\n`,
  );
}
