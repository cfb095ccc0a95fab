import { deaggregateSync } from 'aws-kinesis-agg';
import { describe, expect, it } from 'vitest';
import type { Trade } from '../../shared/domain/trade.js';
import { RecordDecodeError } from '../../shared/records/record-decode-error.js';
import {
  decodeTradeRecord,
  encodeTradeRecord,
  encodeTradeRecordAs,
  TRADE_RECORD_FORMATS,
} from '../../shared/records/trade-record-codec.js';

const OPEN_TS = Date.parse('2013-10-07T09:30:00.464-04:00');

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

describe('packed trade records', () => {
  it('round-trips a symbol run in order, fractional prices and sizes included', () => {
    const trades: Trade[] = [
      { symbol: 'BAC', ts: OPEN_TS, price: 13.92, size: 100 },
      { symbol: 'BAC', ts: OPEN_TS, price: 13.9199, size: 0.5 },
      { symbol: 'BAC', ts: OPEN_TS + 1, price: 1e-4, size: 0 },
      { symbol: 'BAC', ts: OPEN_TS + 86_400_000, price: 123456.789, size: 1_550_700 },
    ];

    expect(decodeTradeRecord(encodeTradeRecord('BAC', trades))).toEqual(trades);
  });

  it('writes the documented compact format', () => {
    const data = encodeTradeRecord('BRK.B', [{ symbol: 'BRK.B', ts: OPEN_TS, price: 120.5, size: 3 }]);

    expect(JSON.parse(data.toString('utf8'))).toEqual({ v: 1, s: 'BRK.B', t: [[OPEN_TS, 120.5, 3]] });
  });

  it('decodes from a view into a larger buffer, as the SDK hands out record data', () => {
    const record = encodeTradeRecord('IBM', [{ symbol: 'IBM', ts: OPEN_TS, price: 186.5, size: 10 }]);
    const pool = Buffer.concat([Buffer.from('garbage{'), record, Buffer.from('}garbage')]);
    const view = new Uint8Array(pool.buffer, pool.byteOffset + 8, record.length);

    expect(decodeTradeRecord(view)).toEqual([{ symbol: 'IBM', ts: OPEN_TS, price: 186.5, size: 10 }]);
  });

  it('decodes an empty run as no trades', () => {
    expect(decodeTradeRecord(encodeTradeRecord('BAC', []))).toEqual([]);
  });
});

describe('single trade records from other producers', () => {
  it('decodes a numeric ts', () => {
    expect(decodeTradeRecord(json({ symbol: 'BAC', price: 13.9, size: 100, ts: OPEN_TS }))).toEqual([
      { symbol: 'BAC', ts: OPEN_TS, price: 13.9, size: 100 },
    ]);
  });

  it('decodes an ISO ts with an offset', () => {
    const record = json({ symbol: 'BAC', price: 13.9, size: 100, ts: '2013-10-07T13:30:00.464Z' });

    expect(decodeTradeRecord(record)).toEqual([{ symbol: 'BAC', ts: OPEN_TS, price: 13.9, size: 100 }]);
  });

  it('decodes a `timestamp` key in place of `ts`', () => {
    const record = json({
      symbol: 'BAC',
      price: 13.9,
      size: 100,
      timestamp: '2013-10-07T09:30:00.464-04:00',
    });

    expect(decodeTradeRecord(record)).toEqual([{ symbol: 'BAC', ts: OPEN_TS, price: 13.9, size: 100 }]);
  });

  it('ignores fields it does not know', () => {
    const record = json({ symbol: 'BAC', price: 13.9, size: 100, ts: OPEN_TS, exchange: 'D', v: 2 });

    expect(decodeTradeRecord(record)).toEqual([{ symbol: 'BAC', ts: OPEN_TS, price: 13.9, size: 100 }]);
  });
});

describe('malformed trade records', () => {
  it.each([
    ['not JSON', Buffer.from('BAC,13.9,100'), /not JSON/],
    ['truncated JSON', Buffer.from('{"v":1,"s":"BAC","t":[[1381152600464,13.9,'), /not JSON/],
    ['a JSON number', Buffer.from('42'), /not a JSON object/],
    ['JSON null', Buffer.from('null'), /not a JSON object/],
    ['a packed record without a symbol', json({ v: 1, t: [[OPEN_TS, 13.9, 100]] }), /no symbol/],
    ['a packed record with an empty symbol', json({ v: 1, s: '', t: [[OPEN_TS, 13.9, 100]] }), /no symbol/],
    ['a packed record without trades', json({ v: 1, s: 'BAC' }), /no trade list/],
    ['a packed trade that is not a row', json({ v: 1, s: 'BAC', t: [{ ts: OPEN_TS }] }), /trade 0 is not/],
    [
      'a packed row of two values',
      json({
        v: 1,
        s: 'BAC',
        t: [
          [OPEN_TS, 13.9, 1],
          [OPEN_TS, 13.9],
        ],
      }),
      /trade 1/,
    ],
    ['a packed row with a zero price', json({ v: 1, s: 'BAC', t: [[OPEN_TS, 0, 100]] }), /price 0/],
    ['a packed row with a negative price', json({ v: 1, s: 'BAC', t: [[OPEN_TS, -1, 100]] }), /price -1/],
    ['a packed row with a string price', json({ v: 1, s: 'BAC', t: [[OPEN_TS, '13.9', 100]] }), /price/],
    ['a packed row with a negative size', json({ v: 1, s: 'BAC', t: [[OPEN_TS, 13.9, -5]] }), /size -5/],
    ['a packed row with a string ts', json({ v: 1, s: 'BAC', t: [['soon', 13.9, 100]] }), /timestamp soon/],
    ['a single trade without a symbol', json({ price: 13.9, size: 100, ts: OPEN_TS }), /no "symbol"/],
    [
      'a single trade with a numeric symbol',
      json({ symbol: 7, price: 13.9, size: 100, ts: OPEN_TS }),
      /symbol/,
    ],
    [
      'a single trade with a zero price',
      json({ symbol: 'BAC', price: 0, size: 100, ts: OPEN_TS }),
      /price 0/,
    ],
    ['a single trade without a price', json({ symbol: 'BAC', size: 100, ts: OPEN_TS }), /price undefined/],
    ['a single trade without a ts', json({ symbol: 'BAC', price: 13.9, size: 100 }), /timestamp undefined/],
    [
      'a single trade with a NaN ts',
      json({ symbol: 'BAC', price: 13.9, size: 100, ts: 'not a date' }),
      /NaN/,
    ],
    ['a single trade with a zero ts', json({ symbol: 'BAC', price: 13.9, size: 100, ts: 0 }), /timestamp 0/],
    [
      'a single trade with a naive ISO ts',
      json({ symbol: 'BAC', price: 13.9, size: 100, ts: '2013-10-07T09:30:00' }),
      /timestamp/,
    ],
  ])('rejects %s with RecordDecodeError', (_kind, data, message) => {
    expect(() => decodeTradeRecord(data)).toThrow(RecordDecodeError);
    expect(() => decodeTradeRecord(data)).toThrow(message);
  });

  it('keeps the JSON parse failure as the cause', () => {
    const error = captureError(() => decodeTradeRecord(Buffer.from('{oops')));

    expect(error).toBeInstanceOf(RecordDecodeError);
    expect((error as RecordDecodeError).cause).toBeInstanceOf(SyntaxError);
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('binary v2 and KPL records', () => {
  const run: Trade[] = [
    { symbol: 'SPY', ts: OPEN_TS, price: 167.41, size: 100 },
    { symbol: 'SPY', ts: OPEN_TS, price: 167.4, size: 1_400 },
    { symbol: 'SPY', ts: OPEN_TS + 5, price: 167.4199, size: 0.25 },
    { symbol: 'SPY', ts: OPEN_TS + 86_400_000, price: 0.0001, size: 1_002_300 },
    { symbol: 'SPY', ts: OPEN_TS - 1, price: 123456.789, size: 0 },
  ];

  it.each(TRADE_RECORD_FORMATS)('round-trips a run exactly in %s', (format) => {
    expect(decodeTradeRecord(encodeTradeRecordAs(format, 'SPY', run))).toEqual(run);
  });

  it('takes about 5 bytes a trade in binary, against about 20 in JSON', () => {
    const ticks: Trade[] = Array.from({ length: 1000 }, (_, i) => ({
      symbol: 'BAC',
      ts: OPEN_TS + i * 37,
      price: Number((13.9 + ((i * 7) % 11) / 100).toFixed(2)),
      size: 100 * (1 + (i % 5)),
    }));
    const binary = encodeTradeRecordAs('binary', 'BAC', ticks).length;
    expect(binary / 1000).toBeLessThan(7);
    expect(encodeTradeRecordAs('json', 'BAC', ticks).length).toBeGreaterThan(binary * 3);
  });

  it('keeps computed prices that no decimal scale represents, bit for bit', () => {
    const computed: Trade[] = [
      { symbol: 'BAC', ts: OPEN_TS, price: 13.9 + 0.05, size: 100 / 3 },
      { symbol: 'BAC', ts: OPEN_TS + 1, price: 13.95, size: 1 },
    ];
    expect(decodeTradeRecord(encodeTradeRecordAs('binary', 'BAC', computed))).toEqual(computed);
  });

  it('reads a KPL record with the ecosystem deaggregator as one-trade JSON user records', () => {
    const data = encodeTradeRecordAs('kpl', 'SPY', run.slice(0, 2));
    let users: { data: string }[] = [];
    deaggregateSync({ data: data.toString('base64') } as never, true, (error, records) => {
      if (error) throw error;
      users = records ?? [];
    });
    expect(users.map((user) => JSON.parse(Buffer.from(user.data, 'base64').toString()))).toEqual([
      { symbol: 'SPY', ts: OPEN_TS, price: 167.41, size: 100 },
      { symbol: 'SPY', ts: OPEN_TS, price: 167.4, size: 1_400 },
    ]);
  });

  it('throws RecordDecodeError for a cut or corrupted binary or KPL record', () => {
    for (const format of ['binary', 'kpl'] as const) {
      const data = encodeTradeRecordAs(format, 'SPY', run);
      expect(() => decodeTradeRecord(data.subarray(0, data.length - 3))).toThrow(RecordDecodeError);
      const flipped = Buffer.from(data);
      flipped[10] = (flipped[10] as number) ^ 0xff;
      expect(() => decodeTradeRecord(flipped)).toThrow(RecordDecodeError);
    }
  });
});
