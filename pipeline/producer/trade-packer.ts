import type { Trade } from '../../shared/domain/trade.js';
import { encodeTradeRecordAs, type TradeRecordFormat } from '../../shared/records/trade-record-codec.js';

/** One Kinesis record ready to put: packed trades of one symbol. */
export interface PackedRecord {
  readonly partitionKey: string;
  readonly data: Buffer;
  readonly trades: number;
  /** Source line of its first trade: resuming from there re-sends it, so nothing is lost. */
  readonly firstLine: number;
}

interface SymbolBuffer {
  readonly trades: Trade[];
  readonly firstLine: number;
}

/**
 * Groups trades by symbol and packs each symbol's run, in source order, into records of up to
 * `maxTradesPerRecord` trades, because a shard takes only 1,000 records/s.
 */
export class TradePacker {
  private readonly buffers = new Map<string, SymbolBuffer>();

  constructor(
    private readonly format: TradeRecordFormat = 'binary',
    private readonly maxTradesPerRecord = 2000,
  ) {}

  /** Adds a trade read from `line`; returns a record when its symbol's buffer is full. */
  add(trade: Trade, line: number): PackedRecord | undefined {
    let buffer = this.buffers.get(trade.symbol);
    if (buffer === undefined) {
      buffer = { trades: [], firstLine: line };
      this.buffers.set(trade.symbol, buffer);
    }
    buffer.trades.push(trade);
    if (buffer.trades.length < this.maxTradesPerRecord) return undefined;
    this.buffers.delete(trade.symbol);
    return this.pack(trade.symbol, buffer);
  }

  /** Packs every partial buffer (end of an object, or before pausing a paced replay). */
  drain(): PackedRecord[] {
    return this.drainOlderThan(Number.POSITIVE_INFINITY);
  }

  /** Packs the buffers whose first trade came before `line`, so a rare symbol does not wait for ever. */
  drainOlderThan(line: number): PackedRecord[] {
    return this.drainWhere((_symbol, firstLine) => firstLine < line);
  }

  /** Packs the buffers that `pick` chooses (a live feed drains its symbols in turns). */
  drainWhere(pick: (symbol: string, firstLine: number) => boolean): PackedRecord[] {
    const records: PackedRecord[] = [];
    for (const [symbol, buffer] of this.buffers) {
      if (!pick(symbol, buffer.firstLine)) continue;
      records.push(this.pack(symbol, buffer));
      this.buffers.delete(symbol);
    }
    return records;
  }

  /** The lowest source line still held here, if any. */
  firstLine(): number | undefined {
    let first: number | undefined;
    for (const buffer of this.buffers.values()) {
      if (first === undefined || buffer.firstLine < first) first = buffer.firstLine;
    }
    return first;
  }

  private pack(symbol: string, buffer: SymbolBuffer): PackedRecord {
    return {
      partitionKey: symbol,
      data: encodeTradeRecordAs(this.format, symbol, buffer.trades),
      trades: buffer.trades.length,
      firstLine: buffer.firstLine,
    };
  }
}
