import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linesFromBytes } from '../../pipeline/market-data/byte-lines.js';
import { MarketDataError, type MarketRow } from '../../pipeline/market-data/market-data-options.js';
import { readMarketData } from '../../pipeline/market-data/read-market-data.js';
import { SYMBOL_PATTERN } from '../../shared/domain/symbol.js';
import { isTradePrice, isTradeSize } from '../../shared/domain/trade-bounds.js';
import { FUZZ, hostileText } from '../helpers/fuzz.js';

interface ReadResult {
  readonly rows: MarketRow[];
  readonly error?: unknown;
  readonly lineCount: number;
}

/** The real reader over `bytes`, delivered in chunks cut at `cuts`; only MarketDataError may escape it. */
async function read(bytes: Uint8Array, cuts: readonly number[], maxLineBytes?: number): Promise<ReadResult> {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut > at && cut < bytes.length) {
      chunks.push(Buffer.from(bytes.subarray(at, cut)));
      at = cut;
    }
  }
  chunks.push(Buffer.from(bytes.subarray(at)));
  const options = maxLineBytes === undefined ? {} : { maxLineBytes };
  const rows: MarketRow[] = [];
  try {
    for await (const row of readMarketData(
      linesFromBytes(Readable.from(chunks), undefined, options).batches,
      {
        ...options,
        barLength: '1m',
      },
    )) {
      rows.push(row);
    }
  } catch (error) {
    if (!(error instanceof MarketDataError)) throw error;
    return { rows, error, lineCount: countLines(bytes) };
  }
  return { rows, lineCount: countLines(bytes) };
}

function countLines(bytes: Uint8Array): number {
  let lines = 1;
  for (const byte of bytes) if (byte === 0x0a) lines += 1;
  return lines;
}

/** Every trade the reader gives is one the pipeline can carry; every reject names a line of the file. */
function expectSafe(result: ReadResult): void {
  for (const row of result.rows) {
    if ('trade' in row) {
      expect(row.trade.symbol).toMatch(SYMBOL_PATTERN);
      expect(isTradePrice(row.trade.price)).toBe(true);
      expect(isTradeSize(row.trade.size)).toBe(true);
      expect(Number.isFinite(row.trade.ts)).toBe(true);
      expect(row.line).toBeLessThanOrEqual(result.lineCount);
    } else {
      expect(row.reject.line).toBeGreaterThanOrEqual(1);
      expect(row.reject.line).toBeLessThanOrEqual(result.lineCount + 1);
      expect(row.reject.reason).not.toBe('');
    }
  }
}

const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 6 });
const field = fc.oneof(
  hostileText,
  fc.constantFrom(
    'BAC',
    'aig',
    ' SPY ',
    '2024-01-02T09:30:00-05:00',
    '1704205800',
    '13.9',
    '100',
    '"1,0"',
    '""',
    '1e309',
    '-1',
  ),
  fc.double().map(String),
);
const csvLine = fc.array(field, { maxLength: 8 }).map((fields) => fields.join(','));
const header = fc.constantFrom(
  'symbol,timestamp,price,size',
  'Name,date,Price,Shares',
  'symbol,timestamp,open,high,low,close,volume',
  'ticker,time,px',
);
const lineBreak = fc.constantFrom('\n', '\r\n', '\n\n', '\r');

describe('fuzz: the market-data reader', () => {
  it('reads arbitrary bytes without throwing anything but MarketDataError, and yields only carriable trades', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), cuts, async (bytes, at) => {
        expectSafe(await read(bytes, at));
      }),
      FUZZ,
    );
  });

  it('reads CSV files of arbitrary line shapes the same whatever the chunking', async () => {
    const file = fc
      .tuple(header, fc.array(fc.tuple(csvLine, lineBreak), { maxLength: 12 }))
      .map(([head, lines]) => `${head}\n${lines.map(([line, br]) => line + br).join('')}`);
    await fc.assert(
      fc.asyncProperty(file, cuts, async (text, at) => {
        const bytes = Buffer.from(text);
        const whole = await read(bytes, []);
        expectSafe(whole);
        const chunked = await read(bytes, at);
        expect(chunked.rows).toEqual(whole.rows);
        expect(String(chunked.error)).toBe(String(whole.error));
      }),
      FUZZ,
    );
  });

  it('reads arbitrary NDJSON objects without throwing, rejecting what is not a trade', async () => {
    const value = fc.oneof(
      field,
      fc.double(),
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      fc.object({ maxDepth: 1 }),
    );
    const object = fc.record(
      { symbol: value, ts: value, timestamp: value, price: value, size: value },
      { requiredKeys: ['symbol', 'ts', 'price', 'size'] },
    );
    const line = fc.oneof(
      object.map((o) => JSON.stringify(o)),
      object.map((o) => JSON.stringify(o).replace(/"price":[^,}]*/, '"price":1e999')),
      fc.json({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 10 }), cuts, async (lines, at) => {
        const first = JSON.stringify({ symbol: 'BAC', ts: 1_704_205_800_000, price: 13.9, size: 100 });
        expectSafe(await read(Buffer.from([first, ...lines].join('\n')), at));
      }),
      FUZZ,
    );
  });

  it('reads a gzip file exactly as the same file uncompressed (round trip)', async () => {
    const file = fc
      .tuple(header, fc.array(csvLine, { maxLength: 10 }))
      .map(([head, lines]) => [head, ...lines].join('\n'));
    await fc.assert(
      fc.asyncProperty(file, cuts, async (text, at) => {
        const plain = await read(Buffer.from(text), []);
        const zipped = await read(gzipSync(text), at);
        expect(zipped.rows).toEqual(plain.rows);
      }),
      { ...FUZZ, numRuns: 100 },
    );
  });

  it('never gives a line longer than its limit, and counts every line once', async () => {
    const line = fc.oneof(
      csvLine,
      fc.string({ minLength: 50, maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 10 }), cuts, async (lines, at) => {
        const text = ['symbol,timestamp,price,size', ...lines].join('\n');
        const source = linesFromBytes(
          Readable.from([Buffer.from(text)].flatMap((b) => split(b, at))),
          undefined,
          {
            maxLineBytes: 64,
          },
        );
        let count = 0;
        for await (const batch of source.batches) {
          for (const item of batch) {
            count += 1;
            if (typeof item === 'string') expect(Buffer.byteLength(item)).toBeLessThanOrEqual(64);
          }
        }
        expect(count).toBe(text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
      }),
      FUZZ,
    );
  });
});

function split(bytes: Buffer, at: readonly number[]): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (const cut of [...at].sort((a, b) => a - b)) {
    if (cut > from && cut < bytes.length) {
      parts.push(bytes.subarray(from, cut));
      from = cut;
    }
  }
  parts.push(bytes.subarray(from));
  return parts;
}
