import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../../shared/ports/logger.js';
import { KinesisRecordSender } from './kinesis-record-sender.js';
import { openS3Lines } from './s3-lines.js';
import { type RejectedRow, TradeCsvParser, TradeFileError } from './trade-csv-parser.js';
import { type PackedRecord, TradePacker } from './trade-packer.js';

/** `max` replays as fast as possible; a number replays that many market seconds per wall second. */
export type ReplaySpeed = number | 'max';

export interface ProduceOptions {
  readonly s3: S3Client;
  readonly kinesis: KinesisClient;
  readonly bucket: string;
  readonly key: string;
  readonly streamName: string;
  readonly speed: ReplaySpeed;
  readonly logger: Logger;
  readonly maxTradesPerRecord?: number;
  readonly onProgress?: (progress: ProduceProgress) => void;
  /** Stops reading; trades already parsed are still sent. */
  readonly signal?: AbortSignal;
}

export interface ProduceProgress {
  readonly trades: number;
  readonly rejected: number;
  readonly records: number;
  readonly bytesRead: number;
  readonly totalBytes: number | undefined;
}

export interface ProduceSummary extends ProduceProgress {
  readonly firstTs: number | undefined;
  readonly lastTs: number | undefined;
  readonly aborted: boolean;
  /** The first few rejected rows, for the summary. */
  readonly rejectSamples: readonly RejectedRow[];
}

const PROGRESS_EVERY = 20_000;
const SEND_BATCH_RECORDS = 64;

/**
 * Producer v1: streams a trades CSV (plain or gzip) from S3 and puts the trades on the trades stream,
 * packed per symbol and partitioned by symbol. Parsing of the next batch overlaps the previous put.
 */
export async function produceTrades(options: ProduceOptions): Promise<ProduceSummary> {
  const source = await openS3Lines(options.s3, options.bucket, options.key);
  const sender = new KinesisRecordSender(options.kinesis, options.streamName);
  const packer = new TradePacker(options.maxTradesPerRecord);
  let parser: TradeCsvParser | undefined;
  let lineNumber = 0;
  let trades = 0;
  let rejected = 0;
  let records = 0;
  let firstTs: number | undefined;
  let lastTs: number | undefined;
  let wallStart = 0;
  const rejectSamples: RejectedRow[] = [];
  let ready: PackedRecord[] = [];
  let inFlight: Promise<void> = Promise.resolve();

  const progress = (): ProduceProgress => ({
    trades,
    rejected,
    records,
    bytesRead: source.bytesRead(),
    totalBytes: source.totalBytes,
  });
  // A key's next records go out only after the previous put is acknowledged, which keeps per-symbol order.
  const dispatch = async (batch: PackedRecord[]): Promise<void> => {
    await inFlight;
    records += batch.length;
    inFlight = sender.send(batch);
    // Awaited by the next dispatch or at the end; this only stops Node calling it unhandled meanwhile.
    inFlight.catch(() => undefined);
  };

  for await (const text of source.lines) {
    lineNumber += 1;
    if (options.signal?.aborted) break;
    if (parser === undefined) {
      parser = new TradeCsvParser(text);
      continue;
    }
    if (text === '') continue;
    const row = parser.parse(text, lineNumber);
    if ('reject' in row) {
      rejected += 1;
      if (rejectSamples.length < 5) rejectSamples.push(row.reject);
      continue;
    }
    const trade = row.trade;
    trades += 1;
    firstTs ??= trade.ts;
    lastTs = trade.ts;
    if (options.speed !== 'max') {
      if (trades === 1) wallStart = Date.now();
      const wait = wallStart + (trade.ts - firstTs) / options.speed - Date.now();
      if (wait > 25) {
        // Everything before this trade goes out now, so the stream is live while we wait.
        await dispatch([...ready, ...packer.drain()]);
        ready = [];
        await sleep(wait, options.signal);
      }
    }
    const full = packer.add(trade);
    if (full !== undefined) {
      ready.push(full);
      if (ready.length >= SEND_BATCH_RECORDS) {
        await dispatch(ready);
        ready = [];
      }
    }
    if (trades % PROGRESS_EVERY === 0) options.onProgress?.(progress());
  }
  await dispatch([...ready, ...packer.drain()]);
  await inFlight;
  options.onProgress?.(progress());

  if (parser === undefined) throw new TradeFileError(`s3://${options.bucket}/${options.key} is empty`);
  if (trades === 0 && !options.signal?.aborted) {
    const examples = rejectSamples.map((r) => `line ${r.line}: ${r.reason}`).join('; ');
    const detail =
      rejected === 0 ? 'it has a header but no data rows' : `${rejected} rows rejected: ${examples}`;
    throw new TradeFileError(`s3://${options.bucket}/${options.key} has no usable trade rows (${detail})`);
  }
  if (rejected > 0) {
    options.logger.warn('rows rejected', { key: options.key, rejected, samples: rejectSamples });
  }
  return { ...progress(), firstTs, lastTs, aborted: options.signal?.aborted ?? false, rejectSamples };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
