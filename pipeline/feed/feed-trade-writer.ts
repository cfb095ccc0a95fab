import type { Trade } from '../../shared/domain/trade.js';
import { stableBucket } from '../../shared/records/stable-bucket.js';
import type { RecordSink } from '../producer/record-sink.js';
import type { PackedRecord, TradePacker } from '../producer/trade-packer.js';

export interface FeedTradeWriterOptions {
  /** The producer's packer (binary v2 by default), so live records are the records replays put. */
  readonly packer: TradePacker;
  /** The producer's ordered sender: shard map, token buckets, ordered retries per symbol. */
  readonly sink: RecordSink;
  /** Partial records are packed and queued at least this often (default 100 ms, so under 200 ms). */
  readonly flushEveryMs?: number;
  /**
   * The symbols are drained in this many turns per `flushEveryMs` (default 4), so Kinesis gets a few
   * small PutRecords calls spread over the interval instead of one burst of every symbol at once.
   */
  readonly turns?: number;
  /** Called once when the sink gives up (Kinesis kept refusing a record). */
  readonly onFailure: (error: unknown) => void;
}

/**
 * Live trades onto the trades stream through the producer's own parts. A replay packs a symbol's run
 * until the record is full; live trades trickle, so a timer packs whatever each symbol holds every
 * `flushEveryMs`, which bounds the latency packing adds. Each symbol has a turn (a hash of its name):
 * the timer ticks `turns` times per interval and drains the symbols of that turn.
 */
export class FeedTradeWriter {
  trades = 0;
  private sequence = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly turns: number;
  private readonly turnOf = new Map<string, number>();
  private tick = 0;
  private failed = false;

  constructor(private readonly options: FeedTradeWriterOptions) {
    this.turns = Math.max(1, options.turns ?? 4);
    this.timer = setInterval(() => this.drainTurn(), (options.flushEveryMs ?? 100) / this.turns);
    this.timer.unref();
  }

  write(trade: Trade): void {
    this.trades += 1;
    this.sequence += 1;
    const record = this.options.packer.add(trade, this.sequence);
    if (record !== undefined) this.options.sink.enqueue(record);
  }

  /** Packs and queues every partial record now, and waits until Kinesis has acknowledged all of them. */
  async flush(): Promise<void> {
    this.drain();
    await this.options.sink.flush();
  }

  /** Stops the timer after a last flush. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private drainTurn(): void {
    const turn = this.tick;
    this.tick = (this.tick + 1) % this.turns;
    this.queue(this.options.packer.drainWhere((symbol) => this.symbolTurn(symbol) === turn));
  }

  private symbolTurn(symbol: string): number {
    let turn = this.turnOf.get(symbol);
    if (turn === undefined) {
      turn = stableBucket(symbol, this.turns);
      this.turnOf.set(symbol, turn);
    }
    return turn;
  }

  private drain(): void {
    this.queue(this.options.packer.drain());
  }

  private queue(records: readonly PackedRecord[]): void {
    for (const record of records) this.options.sink.enqueue(record);
    // The sender reports a fatal failure only to a waiter: ask without waiting for room.
    this.options.sink.waitForRoom(Number.POSITIVE_INFINITY).catch((error: unknown) => {
      if (this.failed) return;
      this.failed = true;
      clearInterval(this.timer);
      this.options.onFailure(error);
    });
  }
}
