import type { Trade } from '../domain/trade.js';
import { isTradePrice, isTradeSize } from '../domain/trade-bounds.js';
import { assertEncodable } from './encodable-trades.js';
import { RecordDecodeError } from './record-decode-error.js';

/**
 * Format v2, StockAlert's compact packed record, about 5 bytes a trade against about 25 for v1 JSON:
 *
 *   magic 00 53 41 02 ("\0SA" + version 2; never the first byte of JSON or of a KPL record)
 *   varint symbol byte length, UTF-8 symbol
 *   varint trade count
 *   byte price decimals p (0–9, or 255), byte size decimals q (0–9, or 255)
 *   per trade: zigzag varint Δts (ms; the first from 0), zigzag varint Δ(price·10^p), varint size·10^q
 *
 * Prices and sizes are scaled by the fewest decimals that represent every value of the record exactly,
 * so decoding (integer / 10^p) gives back the very same doubles that were encoded. A value no scale
 * represents (a computed 13.950000000000001) makes that field 255: raw little-endian float64s instead.
 */
export const BINARY_MAGIC = Buffer.from([0x00, 0x53, 0x41, 0x02]);

const MAX_DECIMALS = 9;
const RAW = 255;
const POWERS = Array.from({ length: MAX_DECIMALS + 1 }, (_, i) => 10 ** i);

/** Encodes trades of one symbol, in order; throws RangeError for a trade no decoder accepts. */
export function encodeBinaryTradeRecord(symbol: string, trades: readonly Trade[]): Buffer {
  assertEncodable(symbol, trades);
  const p = decimalsOf(trades, 'price');
  const q = decimalsOf(trades, 'size');
  const symbolBytes = Buffer.from(symbol, 'utf8');
  const out = Buffer.allocUnsafe(4 + 10 + symbolBytes.length + 10 + 2 + trades.length * 30);
  BINARY_MAGIC.copy(out, 0);
  let at = writeVarint(out, 4, symbolBytes.length);
  at += symbolBytes.copy(out, at);
  at = writeVarint(out, at, trades.length);
  out[at++] = p;
  out[at++] = q;
  const priceScale = POWERS[p] ?? 1;
  const sizeScale = POWERS[q] ?? 1;
  let lastTs = 0;
  let lastPrice = 0;
  for (const trade of trades) {
    at = writeVarint(out, at, zigzag(trade.ts - lastTs));
    lastTs = trade.ts;
    if (p === RAW) at = out.writeDoubleLE(trade.price, at);
    else {
      const price = Math.round(trade.price * priceScale);
      at = writeVarint(out, at, zigzag(price - lastPrice));
      lastPrice = price;
    }
    if (q === RAW) at = out.writeDoubleLE(trade.size, at);
    else at = writeVarint(out, at, Math.round(trade.size * sizeScale));
  }
  return out.subarray(0, at);
}

/** Decodes a v2 record (the caller has checked the magic); throws RecordDecodeError when it is malformed. */
export function decodeBinaryTradeRecord(data: Uint8Array): Trade[] {
  const reader = { data, at: 4 };
  const symbolLength = readVarint(reader);
  if (symbolLength === 0 || reader.at + symbolLength > data.length) {
    throw new RecordDecodeError('binary record has no symbol');
  }
  const symbol = Buffer.from(data.buffer, data.byteOffset + reader.at, symbolLength).toString('utf8');
  reader.at += symbolLength;
  const count = readVarint(reader);
  const p = data[reader.at++] as number;
  const q = data[reader.at++] as number;
  if ((p > MAX_DECIMALS && p !== RAW) || (q > MAX_DECIMALS && q !== RAW)) {
    throw new RecordDecodeError('binary record has a bad scale');
  }
  const priceScale = POWERS[p] ?? 1;
  const sizeScale = POWERS[q] ?? 1;
  const trades: Trade[] = [];
  let ts = 0;
  let scaledPrice = 0;
  for (let i = 0; i < count; i += 1) {
    ts += unzigzag(readVarint(reader));
    let price: number;
    if (p === RAW) price = readDouble(reader);
    else {
      scaledPrice += unzigzag(readVarint(reader));
      price = scaledPrice / priceScale;
    }
    const size = q === RAW ? readDouble(reader) : readVarint(reader) / sizeScale;
    if (!isTradePrice(price) || !(ts > 0) || !isTradeSize(size)) {
      throw new RecordDecodeError(`binary record trade ${i} is not a trade`);
    }
    trades.push({ symbol, ts, price, size });
  }
  if (reader.at !== data.length) throw new RecordDecodeError('binary record has trailing bytes');
  return trades;
}

/** The fewest decimals that scale every value of `field` to an exact integer, or RAW. */
function decimalsOf(trades: readonly Trade[], field: 'price' | 'size'): number {
  let decimals = 0;
  for (const trade of trades) {
    const value = trade[field];
    while (Math.round(value * (POWERS[decimals] as number)) / (POWERS[decimals] as number) !== value) {
      decimals += 1;
      if (decimals > MAX_DECIMALS) return RAW;
    }
    if (Math.abs(value * (POWERS[decimals] as number)) > Number.MAX_SAFE_INTEGER / 2) return RAW;
  }
  return decimals;
}

function readDouble(reader: { data: Uint8Array; at: number }): number {
  if (reader.at + 8 > reader.data.length) throw new RecordDecodeError('binary record ends mid-number');
  const view = new DataView(reader.data.buffer, reader.data.byteOffset + reader.at, 8);
  reader.at += 8;
  return view.getFloat64(0, true);
}

function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function unzigzag(value: number): number {
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

/** Writes a non-negative integer up to 2^53 in LEB128; arithmetic, not bit ops, past 2^31. */
function writeVarint(out: Buffer, start: number, value: number): number {
  let at = start;
  let rest = value;
  while (rest >= 0x80) {
    out[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  out[at++] = rest;
  return at;
}

function readVarint(reader: { data: Uint8Array; at: number }): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (reader.at >= reader.data.length) throw new RecordDecodeError('binary record ends mid-number');
    const byte = reader.data[reader.at++] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 0x80;
    if (scale > 2 ** 56) throw new RecordDecodeError('binary record has an over-long number');
  }
}
