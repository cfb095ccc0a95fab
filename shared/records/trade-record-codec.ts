import type { Trade } from '../domain/trade.js';
import { RecordDecodeError } from './record-decode-error.js';

/**
 * Kinesis record formats on the `trades` stream.
 *
 * - Packed (what StockAlert's producer writes): many trades of one symbol in one record, because a shard
 *   takes only 1,000 records/s: `{"v":1,"s":"BAC","t":[[ts,price,size],...]}` with ts in epoch ms.
 * - Single (what a third-party producer may send): `{"symbol":"BAC","price":13.9,"size":100,"ts":1381152600000}`,
 *   where `ts` may also be an ISO-8601 string with an offset (or `timestamp` instead of `ts`).
 */
export interface PackedTradeRecord {
  readonly v: 1;
  readonly s: string;
  readonly t: readonly (readonly [number, number, number])[];
}

/** Encodes trades of one symbol, in order, as one packed record. */
export function encodeTradeRecord(symbol: string, trades: readonly Trade[]): Buffer {
  const rows = trades.map((trade) => `[${trade.ts},${trade.price},${trade.size}]`).join(',');
  return Buffer.from(`{"v":1,"s":${JSON.stringify(symbol)},"t":[${rows}]}`);
}

/** Decodes either record format; throws RecordDecodeError for anything that is not a valid trade record. */
export function decodeTradeRecord(data: Uint8Array): Trade[] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch (error) {
    throw new RecordDecodeError('record is not JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null) throw new RecordDecodeError('record is not a JSON object');
  const record = value as Record<string, unknown>;
  return record.v === 1 ? decodePacked(record) : [decodeSingle(record)];
}

function decodePacked(record: Record<string, unknown>): Trade[] {
  const symbol = record.s;
  if (typeof symbol !== 'string' || symbol === '')
    throw new RecordDecodeError('packed record has no symbol "s"');
  if (!Array.isArray(record.t)) throw new RecordDecodeError('packed record has no trade list "t"');
  return record.t.map((row: unknown, index) => {
    if (!Array.isArray(row) || row.length !== 3) {
      throw new RecordDecodeError(`packed record trade ${index} is not [ts, price, size]`);
    }
    return checkedTrade(symbol, row[0], row[1], row[2], `trade ${index}`);
  });
}

const ISO_WITH_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;

function decodeSingle(record: Record<string, unknown>): Trade {
  const symbol = record.symbol;
  if (typeof symbol !== 'string' || symbol === '')
    throw new RecordDecodeError('trade record has no "symbol"');
  const rawTs = record.ts ?? record.timestamp;
  // A naive ISO time would be read in the decoder's zone (UTC in Lambda, local elsewhere): require an offset.
  const ts =
    typeof rawTs === 'string' ? (ISO_WITH_OFFSET.test(rawTs) ? Date.parse(rawTs) : Number.NaN) : rawTs;
  return checkedTrade(symbol, ts, record.price, record.size, 'trade');
}

function checkedTrade(symbol: string, ts: unknown, price: unknown, size: unknown, where: string): Trade {
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts <= 0) {
    throw new RecordDecodeError(`${where}: timestamp ${String(ts)} is not a time`);
  }
  if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) {
    throw new RecordDecodeError(`${where}: price ${String(price)} is not a positive number`);
  }
  if (typeof size !== 'number' || !Number.isFinite(size) || size < 0) {
    throw new RecordDecodeError(`${where}: size ${String(size)} is not a non-negative number`);
  }
  return { symbol, ts, price, size };
}
