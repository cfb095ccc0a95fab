import type { Trade } from '../../shared/domain/trade.js';
import { TruncatedInputError } from '../market-data/byte-lines.js';
import {
  MarketDataError,
  type MarketDataOptions,
  type RejectedRow,
} from '../market-data/market-data-options.js';
import { MarketDataParser } from '../market-data/market-data-parser.js';
import type { RecordSink } from './record-sink.js';
import { RejectLog } from './reject-log.js';
import type { SourceObject } from './source-objects.js';
import type { TradePacker } from './trade-packer.js';

/** `max` replays as fast as possible; a number replays that many market seconds per wall second. */
export type ReplaySpeed = number | 'max';

export interface ProduceProgress {
  readonly trades: number;
  readonly rejected: number;
  readonly records: number;
  /** Stored bytes read so far, over every object. */
  readonly bytesRead: number;
  readonly totalBytes: number | undefined;
  readonly object: string | undefined;
}

/** Where to resume: objects already done, and the first line of `object` not yet acknowledged. */
export interface ReplayPosition {
  readonly done: readonly string[];
  readonly object: string | undefined;
  readonly line: number;
}

export interface ReplayHooks {
  readonly speed: ReplaySpeed;
  readonly marketData: MarketDataOptions;
  readonly packer: TradePacker;
  readonly sink: RecordSink;
  readonly resumeFrom?: ReplayPosition | undefined;
  readonly onProgress?: ((progress: ProduceProgress) => void) | undefined;
  /** Called about once a second and at the end of each object with a position safe to resume from. */
  readonly onCheckpoint?: ((position: ReplayPosition) => Promise<void>) | undefined;
  /** Uploads an object's rejects; returns where they went. */
  readonly uploadRejects?: ((log: RejectLog, object: string) => Promise<string | undefined>) | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface ReplayResult extends ProduceProgress {
  readonly firstTs: number | undefined;
  readonly lastTs: number | undefined;
  readonly aborted: boolean;
  /** The first few rejected rows of the run, for the summary. */
  readonly rejectSamples: readonly (RejectedRow & { readonly object: string })[];
  readonly rejectKeys: readonly string[];
}

const MAX_PENDING_RECORDS = 256;
const CHECKPOINT_EVERY_MS = 1000;
/** A symbol's partial record is sent once this many lines have passed since its first trade. */
const MAX_LINES_HELD = 100_000;
const PROGRESS_EVERY_MS = 250;

/**
 * The producer's path for a list of objects, in order: read, parse, validate, pace, pack and hand to
 * the sink, with bounded memory (the sink's queue is capped) and resumable positions. A caller's
 * `position()` (via onCheckpoint) is always at or before the first trade not yet acknowledged.
 */
export class SourceReplay {
  private trades = 0;
  private rejected = 0;
  private records = 0;
  private bytesBefore = 0;
  private current: { name: string; bytesRead: () => number; line: number } | undefined;
  private readonly done: string[];
  private firstTs: number | undefined;
  private lastTs: number | undefined;
  private readonly rejectSamples: (RejectedRow & { object: string })[] = [];
  private readonly rejectKeys: string[] = [];
  private saving: Promise<void> = Promise.resolve();
  private checkpointError: unknown;

  constructor(
    private readonly objects: readonly SourceObject[],
    private readonly hooks: ReplayHooks,
  ) {
    this.done = [...(hooks.resumeFrom?.done ?? [])];
  }

  progress(): ProduceProgress {
    const sizes = this.objects.map((object) => object.size);
    return {
      trades: this.trades,
      rejected: this.rejected,
      records: this.records,
      bytesRead: this.bytesBefore + (this.current?.bytesRead() ?? 0),
      totalBytes: sizes.every((size) => size !== undefined) ? sizes.reduce((a, b) => a + b, 0) : undefined,
      object: this.current?.name,
    };
  }

  /** A position from which a new run loses nothing: before every trade not yet acknowledged. */
  position(): ReplayPosition {
    if (this.current === undefined) return { done: [...this.done], object: undefined, line: 0 };
    const candidates = [
      this.hooks.packer.firstLine(),
      this.hooks.sink.pendingFirstLine(),
      this.current.line + 1,
    ];
    const line = Math.min(...candidates.filter((value): value is number => value !== undefined));
    return { done: [...this.done], object: this.current.name, line };
  }

  /**
   * Runs the replay. Checkpoints are taken on a timer, not between batches, so that a long flush or a
   * paced pause still leaves a recent position behind.
   */
  async run(): Promise<ReplayResult> {
    const timer = setInterval(() => void this.checkpoint(), CHECKPOINT_EVERY_MS);
    try {
      return await this.replayAll();
    } finally {
      clearInterval(timer);
      await this.saving;
    }
  }

  /** Saves the current position after any save in progress, so saves never overtake each other. */
  private checkpoint(): Promise<void> {
    const save = this.hooks.onCheckpoint;
    if (save === undefined) return Promise.resolve();
    this.saving = this.saving.then(() =>
      save(this.position()).catch((error: unknown) => {
        this.checkpointError ??= error;
      }),
    );
    return this.saving;
  }

  private async replayAll(): Promise<ReplayResult> {
    const { sink, packer, signal } = this.hooks;
    let wallStart: number | undefined;
    let marketStart = 0;
    let progressAt = 0;
    const out: Trade[] = [];
    const lines: number[] = [];
    for (const object of this.objects) {
      if (this.done.includes(object.name)) {
        this.bytesBefore += object.size ?? 0;
        continue;
      }
      if (signal?.aborted) break;
      const resumeLine = this.hooks.resumeFrom?.object === object.name ? this.hooks.resumeFrom.line : 0;
      const source = await object.open();
      const state = { name: object.name, bytesRead: () => source.bytesRead(), line: 0 };
      this.current = state;
      const rejects = new RejectLog();
      let parser: MarketDataParser | undefined;
      let objectTrades = 0;
      try {
        for await (const batch of source.batches) {
          // Parse the whole batch first, then pace and pack: one pass each keeps both loops tight.
          let lineNumber = state.line;
          for (const text of batch) {
            lineNumber += 1;
            if (parser === undefined) {
              const first = MarketDataParser.fromFirstLine(text, this.hooks.marketData);
              parser = first.parser;
              if (!first.firstLineIsData) continue;
            }
            if (lineNumber < resumeLine) continue;
            const before = out.length;
            const reason = parser.parseLine(text, out);
            if (reason !== undefined)
              await this.reject(
                rejects,
                object.name,
                { line: lineNumber, reason },
                typeof text === 'string' ? text : text.preview,
              );
            for (let i = before; i < out.length; i += 1) lines.push(lineNumber);
          }
          const paced = this.hooks.speed !== 'max';
          let taken = 0;
          for (; taken < out.length; taken += 1) {
            const trade = out[taken] as Trade;
            const line = lines[taken] as number;
            state.line = line - 1;
            if (paced) {
              if (wallStart === undefined) {
                wallStart = performance.now();
                marketStart = trade.ts;
              }
              const wait =
                wallStart + (trade.ts - marketStart) / (this.hooks.speed as number) - performance.now();
              if (wait > 25) {
                // Everything before this trade goes out now, so the stream is live while we wait.
                this.send(packer.drain());
                await sleep(wait, signal);
                // Stopped while waiting: this trade and the rest of the batch stay unread (position() says so).
                if (signal?.aborted) break;
              }
            }
            const full = packer.add(trade, line);
            if (full !== undefined) this.send([full]);
          }
          if (taken > 0) {
            this.trades += taken;
            objectTrades += taken;
            this.firstTs ??= (out[0] as Trade).ts;
            this.lastTs = (out[taken - 1] as Trade).ts;
          }
          const stoppedMidBatch = taken < out.length;
          out.length = 0;
          lines.length = 0;
          if (stoppedMidBatch) break;
          state.line = lineNumber;
          if (state.line % MAX_LINES_HELD < batch.length)
            this.send(packer.drainOlderThan(state.line - MAX_LINES_HELD));
          await sink.waitForRoom(MAX_PENDING_RECORDS);
          const now = performance.now();
          if (now - progressAt >= PROGRESS_EVERY_MS) {
            progressAt = now;
            this.hooks.onProgress?.(this.progress());
          }
          if (this.checkpointError !== undefined) throw this.checkpointError;
          if (signal?.aborted) break;
        }
      } catch (error) {
        if (error instanceof MarketDataError) throw new MarketDataError(`${object.name}: ${error.message}`);
        if (!(error instanceof TruncatedInputError)) throw error;
        const reason = `${error.message}: rows after line ${state.line} are missing`;
        await this.reject(rejects, object.name, { line: state.line + 1, reason }, undefined);
      }
      this.send(packer.drain());
      await sink.flush();
      const rejectsKey = await this.hooks.uploadRejects?.(rejects, object.name);
      if (rejectsKey !== undefined) this.rejectKeys.push(rejectsKey);
      if (parser === undefined) throw new MarketDataError(`${object.name} is empty`);
      if (objectTrades === 0 && resumeLine === 0 && !signal?.aborted) {
        const examples = rejects.samples.map((r) => `line ${r.line}: ${r.reason}`).join('; ');
        const detail =
          rejects.count === 0
            ? 'it has a header but no data rows'
            : `${rejects.count} rows rejected: ${examples}`;
        throw new MarketDataError(`${object.name} has no usable trade rows (${detail})`);
      }
      if (signal?.aborted) break;
      this.bytesBefore += source.bytesRead();
      this.done.push(object.name);
      this.current = undefined;
      await this.checkpoint();
    }
    this.hooks.onProgress?.(this.progress());
    return {
      ...this.progress(),
      firstTs: this.firstTs,
      lastTs: this.lastTs,
      aborted: signal?.aborted ?? false,
      rejectSamples: this.rejectSamples,
      rejectKeys: this.rejectKeys,
    };
  }

  private send(records: readonly import('./trade-packer.js').PackedRecord[]): void {
    for (const record of records) {
      this.records += 1;
      this.hooks.sink.enqueue(record);
    }
  }

  private async reject(
    log: RejectLog,
    object: string,
    reject: RejectedRow,
    row: string | undefined,
  ): Promise<void> {
    this.rejected += 1;
    if (this.rejectSamples.length < 5) this.rejectSamples.push({ ...reject, object });
    await log.add(reject, row);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
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
