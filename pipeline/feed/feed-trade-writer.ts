import type { Trade } from '../../shared/domain/trade.js';
import type { RecordSink } from '../producer/record-sink.js';
import type { TradePacker } from '../producer/trade-packer.js';

export interface FeedTradeWriterOptions {
  /** The producer's packer (binary v2 by default), so live records are the records replays put. */
  readonly packer: TradePacker;
  /** The producer's ordered sender: shard map, token buckets, ordered retries per symbol. */
  readonly sink: RecordSink;
  /** Partial records are packed and queued at least this often (default 100 ms, so under 200 ms). */
  readonly flushEveryMs?: number;
  /** Called once when the sink gives up (Kinesis kept refusing a record). */
  readonly onFailure: (error: unknown) => void;
}

/**
 * Live trades onto the trades stream through the producer's own parts. A replay packs a symbol's run
 * until the record is full; live trades trickle, so a timer packs whatever each symbol holds every
 * `flushEveryMs`, which bounds the latency packing adds.
 */
export class FeedTradeWriter {
  trades = 0;
  private sequence = 0;
  private readonly timer: NodeJS.Timeout;
  private failed = false;

  constructor(private readonly options: FeedTradeWriterOptions) {
    this.timer = setInterval(() => this.drain(), options.flushEveryMs ?? 100);
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

  private drain(): void {
    for (const record of this.options.packer.drain()) this.options.sink.enqueue(record);
    // The sender reports a fatal failure only to a waiter: ask without waiting for room.
    this.options.sink.waitForRoom(Number.POSITIVE_INFINITY).catch((error: unknown) => {
      if (this.failed) return;
      this.failed = true;
      clearInterval(this.timer);
      this.options.onFailure(error);
    });
  }
}
