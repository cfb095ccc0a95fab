import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trade } from '../../shared/domain/trade.js';
import {
  isTradePrice,
  isTradeSize,
  MAX_PRICE,
  MAX_SIZE,
  MIN_PRICE,
} from '../../shared/domain/trade-bounds.js';
import { decodeBinaryTradeRecord } from '../../shared/records/binary-trade-record.js';
import { kplUserRecords } from '../../shared/records/kpl-trade-record.js';
import { RecordDecodeError } from '../../shared/records/record-decode-error.js';
import {
  decodeTradeRecord,
  encodeTradeRecordAs,
  TRADE_RECORD_FORMATS,
} from '../../shared/records/trade-record-codec.js';
import { FUZZ, hostileText, validSymbol } from '../helpers/fuzz.js';

/** Runs a decoder; anything thrown but RecordDecodeError fails the property. */
function decodeOrRefuse<T>(decode: () => T): T | RecordDecodeError {
  try {
    return decode();
  } catch (error) {
    if (error instanceof RecordDecodeError) return error;
    throw error;
  }
}

function expectCarriable(trades: readonly Trade[]): void {
  for (const trade of trades) {
    expect(typeof trade.symbol).toBe('string');
    expect(trade.symbol).not.toBe('');
    expect(isTradePrice(trade.price)).toBe(true);
    expect(isTradeSize(trade.size)).toBe(true);
    expect(Number.isFinite(trade.ts) && trade.ts > 0).toBe(true);
  }
}

const price = fc.oneof(
  fc.integer({ min: 1, max: 10_000_000 }).map((cents) => cents / 100),
  fc.integer({ min: 1, max: 99_999 }).map((hundredths) => hundredths / 10_000),
  fc.double({ min: MIN_PRICE, max: MAX_PRICE, noNaN: true }),
);
const size = fc.oneof(
  fc.integer({ min: 0, max: 10_000_000 }),
  fc.double({ min: 0, max: MAX_SIZE, noNaN: true }),
);
const tradesOf = (symbol: string) =>
  fc
    .array(fc.record({ dt: fc.integer({ min: 0, max: 86_400_000 }), price, size }), {
      minLength: 1,
      maxLength: 40,
    })
    .chain((rows) =>
      fc.integer({ min: 1_000_000_000_000, max: 2_000_000_000_000 }).map((start) => {
        let ts = start;
        return rows.map((row): Trade => {
          ts += row.dt;
          return { symbol, ts, price: row.price, size: row.size };
        });
      }),
    );
const symbolAndTrades = validSymbol.chain((symbol) => tradesOf(symbol).map((trades) => ({ symbol, trades })));
const unboundedNumber = fc.constantFrom(
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  1e308,
  MAX_PRICE * 2,
  MAX_SIZE * 2,
  -1,
  0,
);

describe('fuzz: the trades-record codecs', () => {
  it.each(TRADE_RECORD_FORMATS)('round-trips any valid trades through the %s format', (format) => {
    fc.assert(
      fc.property(symbolAndTrades, ({ symbol, trades }) => {
        expect(decodeTradeRecord(encodeTradeRecordAs(format, symbol, trades))).toEqual(trades);
      }),
      FUZZ,
    );
  });

  it('decodes arbitrary bytes, and arbitrary bytes behind each magic, to valid trades or RecordDecodeError only', () => {
    const prefix = fc.constantFrom(
      Buffer.alloc(0),
      Buffer.from([0x00, 0x53, 0x41, 0x02]),
      Buffer.from([0xf3, 0x89, 0x9a, 0xc2]),
      Buffer.from('{"v":1,"s":"BAC","t":'),
    );
    fc.assert(
      fc.property(prefix, fc.uint8Array({ maxLength: 200 }), (head, tail) => {
        const result = decodeOrRefuse(() => decodeTradeRecord(Buffer.concat([head, tail])));
        if (!(result instanceof RecordDecodeError)) expectCarriable(result);
      }),
      FUZZ,
    );
  });

  it.each(TRADE_RECORD_FORMATS)(
    'refuses or decodes validly a %s record with bytes flipped, cut or appended',
    (format) => {
      const damage = fc.record({
        flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
        cut: fc.option(fc.nat()),
        extra: fc.uint8Array({ maxLength: 4 }),
      });
      fc.assert(
        fc.property(symbolAndTrades, damage, ({ symbol, trades }, { flips, cut, extra }) => {
          const data = Buffer.from(encodeTradeRecordAs(format, symbol, trades));
          for (const [at, mask] of flips) data[at % data.length] = (data[at % data.length] as number) ^ mask;
          const damaged = Buffer.concat([
            data.subarray(0, cut === null ? data.length : cut % (data.length + 1)),
            extra,
          ]);
          const result = decodeOrRefuse(() => decodeTradeRecord(damaged));
          if (!(result instanceof RecordDecodeError)) expectCarriable(result);
          decodeOrRefuse(() => decodeBinaryTradeRecord(damaged));
          decodeOrRefuse(() => kplUserRecords(damaged));
        }),
        FUZZ,
      );
    },
  );

  it.each(TRADE_RECORD_FORMATS)('the %s encoder refuses prices and sizes outside the bounds', (format) => {
    fc.assert(
      fc.property(
        symbolAndTrades,
        unboundedNumber,
        fc.boolean(),
        fc.nat(),
        ({ symbol, trades }, bad, onPrice, at) => {
          const index = at % trades.length;
          const broken = trades.map((trade, i) =>
            i === index ? { ...trade, ...(onPrice ? { price: bad } : { size: bad }) } : trade,
          );
          fc.pre(onPrice ? !isTradePrice(bad) : !isTradeSize(bad));
          expect(() => encodeTradeRecordAs(format, symbol, broken)).toThrow(RangeError);
        },
      ),
      FUZZ,
    );
  });

  it.each([
    ['price', '1e309'],
    ['price', '-1e309'],
    ['price', '1e308'],
    ['price', '2e7'],
    ['price', '0'],
    ['price', 'null'],
    ['price', '"13.9"'],
    ['size', '1e309'],
    ['size', '1e13'],
    ['size', '-1'],
  ])(
    'refuses a packed JSON record whose %s is %s (Infinity once parsed, or out of bounds)',
    (field, text) => {
      const row = field === 'price' ? `[1704205800000,${text},100]` : `[1704205800000,13.9,${text}]`;
      expect(() => decodeTradeRecord(Buffer.from(`{"v":1,"s":"BAC","t":[${row}]}`))).toThrow(
        RecordDecodeError,
      );
    },
  );
});

describe('fuzz: the one-trade JSON a third-party producer sends', () => {
  const anyValue = fc.oneof(
    hostileText,
    fc.double(),
    fc.integer(),
    fc.constant(null),
    fc.boolean(),
    fc.constantFrom('2024-01-02T09:30:00Z', '2024-01-02T09:30:00', '2024-01-02T09:30:00+05:30'),
    fc.object({ maxDepth: 1 }),
  );

  it('decodes any JSON object to one valid trade or RecordDecodeError', () => {
    const object = fc.record(
      { symbol: anyValue, ts: anyValue, timestamp: anyValue, price: anyValue, size: anyValue },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(object, fc.jsonValue({ maxDepth: 2 })), (value) => {
        const text = JSON.stringify(value) ?? 'null';
        const result = decodeOrRefuse(() => decodeTradeRecord(Buffer.from(text)));
        if (!(result instanceof RecordDecodeError)) expectCarriable(result);
      }),
      FUZZ,
    );
  });

  it('round-trips a valid one-trade JSON, with ts as epoch ms or as ISO-8601 with an offset', () => {
    fc.assert(
      fc.property(symbolAndTrades, fc.boolean(), ({ symbol, trades }, iso) => {
        const trade = trades[0] as Trade;
        const ts = iso ? new Date(trade.ts).toISOString() : trade.ts;
        const data = Buffer.from(JSON.stringify({ symbol, price: trade.price, size: trade.size, ts }));
        expect(decodeTradeRecord(data)).toEqual([trade]);
      }),
      FUZZ,
    );
  });
});
