import type { Trade } from '../domain/trade.js';
import { isTradePrice, isTradeSize, PRICE_RULE_TEXT, SIZE_RULE_TEXT } from '../domain/trade-bounds.js';
import { BINARY_MAGIC, decodeBinaryTradeRecord, encodeBinaryTradeRecord } from './binary-trade-record.js';
import { assertEncodable } from './encodable-trades.js';
import { encodeKplTradeRecord, KPL_MAGIC, kplUserRecords } from './kpl-trade-record.js';
import { RecordDecodeError } from './record-decode-error.js';

/**
 * Kinesis record formats on the `trades` stream, told apart by their first bytes.
 *
 * - Binary v2 (what StockAlert's producer writes by default; chosen by `npm run bench:producer`): many
 *   trades of one symbol, delta-encoded, about 5 bytes a trade. See binary-trade-record.ts.
 * - KPL aggregated (the AWS ecosystem's packing format): user records that are any of the formats here.
 * - Packed JSON v1 (the producer's first format, still accepted): many trades of one symbol in one record,
 *   `{"v":1,"s":"BAC","t":[[ts,price,size],...]}` with ts in epoch ms.
 * - Single (what a third-party producer may send): `{"symbol":"BAC","price":13.9,"size":100,"ts":1381152600000}`,
 *   where `ts` may also be an ISO-8601 string with an offset (or `timestamp` instead of `ts`).
 */
export interface PackedTradeRecord {
  readonly v: 1;
  readonly s: string;
  readonly t: readonly (readonly [number, number, number])[];
}

/** The packed formats the producer can write. */
export const TRADE_RECORD_FORMATS = ['binary', 'kpl', 'json'] as const;
export type TradeRecordFormat = (typeof TRADE_RECORD_FORMATS)[number];

/** Encodes trades of one symbol, in order, as one record of `format`. */
export function encodeTradeRecordAs(
  format: TradeRecordFormat,
  symbol: string,
  trades: readonly Trade[],
): Buffer {
  if (format === 'binary') return encodeBinaryTradeRecord(symbol, trades);
  if (format === 'kpl') return encodeKplTradeRecord(symbol, trades);
  return encodeTradeRecord(symbol, trades);
}

/** Encodes trades of one symbol, in order, as one packed JSON v1 record; throws RangeError for a trade no decoder accepts. */
export function encodeTradeRecord(symbol: string, trades: readonly Trade[]): Buffer {
  assertEncodable(symbol, trades);
  const rows = trades.map((trade) => `[${trade.ts},${trade.price},${trade.size}]`).join(',');
  return Buffer.from(`{"v":1,"s":${JSON.stringify(symbol)},"t":[${rows}]}`);
}

/** Decodes any record format above; throws RecordDecodeError for anything that is not a valid trade record. */
export function decodeTradeRecord(data: Uint8Array): Trade[] {
  if (startsWith(data, BINARY_MAGIC)) return decodeBinaryTradeRecord(data);
  if (startsWith(data, KPL_MAGIC)) return kplUserRecords(data).flatMap((user) => decodeJsonRecord(user));
  return decodeJsonRecord(data);
}

function startsWith(data: Uint8Array, magic: Buffer): boolean {
  return (
    data.length >= 4 &&
    data[0] === magic[0] &&
    data[1] === magic[1] &&
    data[2] === magic[2] &&
    data[3] === magic[3]
  );
}

function decodeJsonRecord(data: Uint8Array): Trade[] {
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
  if (!isTradePrice(price)) {
    throw new RecordDecodeError(`${where}: price ${String(price)} is out of bounds; ${PRICE_RULE_TEXT}`);
  }
  if (!isTradeSize(size)) {
    throw new RecordDecodeError(`${where}: size ${String(size)} is out of bounds; ${SIZE_RULE_TEXT}`);
  }
  return { symbol, ts, price, size };
}
