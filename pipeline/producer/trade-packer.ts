import type { Trade } from '../../shared/domain/trade.js';
import { encodeTradeRecord } from '../../shared/records/trade-record-codec.js';

/** One Kinesis record ready to put: packed trades of one symbol. */
export interface PackedRecord {
  readonly partitionKey: string;
  readonly data: Buffer;
  readonly trades: number;
}

/**
 * Groups trades by symbol and packs each symbol's run, in source order, into records of up to
 * `maxTradesPerRecord` trades, because a shard takes only 1,000 records/s.
 */
export class TradePacker {
  private readonly buffers = new Map<string, Trade[]>();

  constructor(private readonly maxTradesPerRecord = 1000) {}

  /** Adds a trade; returns a record when its symbol's buffer is full. */
  add(trade: Trade): PackedRecord | undefined {
    let buffer = this.buffers.get(trade.symbol);
    if (buffer === undefined) {
      buffer = [];
      this.buffers.set(trade.symbol, buffer);
    }
    buffer.push(trade);
    if (buffer.length < this.maxTradesPerRecord) return undefined;
    this.buffers.delete(trade.symbol);
    return pack(trade.symbol, buffer);
  }

  /** Packs every partial buffer (end of file, or before pausing a paced replay). */
  drain(): PackedRecord[] {
    const records = [...this.buffers].map(([symbol, trades]) => pack(symbol, trades));
    this.buffers.clear();
    return records;
  }

  get buffered(): number {
    let count = 0;
    for (const trades of this.buffers.values()) count += trades.length;
    return count;
  }
}

function pack(symbol: string, trades: readonly Trade[]): PackedRecord {
  return { partitionKey: symbol, data: encodeTradeRecord(symbol, trades), trades: trades.length };
}
