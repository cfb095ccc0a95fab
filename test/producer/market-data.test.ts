import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  MarketDataError,
  type MarketDataOptions,
  type MarketRow,
  openFileLines,
  parseBarLength,
  parseColumnsOption,
  readMarketData,
} from '../../pipeline/market-data/index.js';
import { priceAndSize, TRADE_BOUND_EDGES } from '../helpers/trade-bound-edges.js';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

async function* asLines(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

async function read(lines: readonly string[], options: MarketDataOptions = {}): Promise<MarketRow[]> {
  const rows: MarketRow[] = [];
  for await (const row of readMarketData(asLines(lines), options)) rows.push(row);
  return rows;
}

function trades(rows: readonly MarketRow[]) {
  return rows.flatMap((row) => ('trade' in row ? [row.trade] : []));
}

function rejects(rows: readonly MarketRow[]) {
  return rows.flatMap((row) => ('reject' in row ? [row.reject] : []));
}

describe('readMarketData: trade ticks', () => {
  it('keeps an ISO offset and reads a naive time in the given zone, across a DST change', async () => {
    const rows = await read([
      'symbol,timestamp,price,size',
      'bac,2013-10-07T09:30:00.125-04:00,13.9,100',
      'BAC,2013-10-07 09:30:00,13.91,200',
      'BAC,2013-12-02 09:30,13.92,300',
      'BAC,2013-10-07T13:30:00Z,13.93,0',
    ]);
    expect(trades(rows)).toEqual([
      { symbol: 'BAC', ts: Date.parse('2013-10-07T13:30:00.125Z'), price: 13.9, size: 100 },
      { symbol: 'BAC', ts: Date.parse('2013-10-07T13:30:00Z'), price: 13.91, size: 200 },
      // December is EST (UTC-5), October EDT (UTC-4).
      { symbol: 'BAC', ts: Date.parse('2013-12-02T14:30:00Z'), price: 13.92, size: 300 },
      { symbol: 'BAC', ts: Date.parse('2013-10-07T13:30:00Z'), price: 13.93, size: 0 },
    ]);
    const london = await read(['symbol,timestamp,price', 'BAC,2013-10-07 09:30,13.9'], {
      timezone: 'Europe/London',
    });
    expect(trades(london)[0]?.ts).toBe(Date.parse('2013-10-07T08:30:00Z'));
  });

  it('reads epoch seconds, milliseconds and nanoseconds', async () => {
    const rows = await read([
      'ticker,time,last,qty',
      'IBM,1381152600,186.1,1',
      'IBM,1381152600250,186.2,2',
      'IBM,1381152600500000000,186.3,3',
    ]);
    expect(trades(rows).map((trade) => trade.ts)).toEqual([1381152600000, 1381152600250, 1381152600500]);
  });

  it('detects vendor column names and takes --columns for the ones it cannot guess', async () => {
    const rows = await read(['Date,Name,Px,Shares', '2013-10-07 09:30,SPY,168.5,10'], {
      columns: parseColumnsOption('timestamp=Date,price=Px'),
    });
    expect(trades(rows)).toEqual([
      { symbol: 'SPY', ts: Date.parse('2013-10-07T13:30:00Z'), price: 168.5, size: 10 },
    ]);
  });

  it('reads NDJSON objects, string or number fields, with the same names', async () => {
    const rows = await read([
      '{"sym":"AIG","ts":"2013-10-07T09:30:00-04:00","price":48.1,"size":100}',
      '{"sym":"AIG","ts":1381152601000,"price":"48.2","size":50}',
      '{"sym":"AIG","ts":1381152602000,"price":-1,"size":50}',
      'not json',
    ]);
    expect(trades(rows)).toEqual([
      { symbol: 'AIG', ts: 1381152600000, price: 48.1, size: 100 },
      { symbol: 'AIG', ts: 1381152601000, price: 48.2, size: 50 },
    ]);
    expect(rejects(rows)).toEqual([
      { line: 3, reason: expect.stringContaining('bad price "-1"') },
      { line: 4, reason: 'not a JSON object' },
    ]);
  });

  it('rejects every kind of bad row with its line number, and goes on', async () => {
    const rows = await read([
      'symbol,timestamp,price,size',
      'BAC,2013-10-07T09:30:00-04:00,13.9',
      ',2013-10-07T09:30:00-04:00,13.9,100',
      'BAC,yesterday,13.9,100',
      'BAC,2013-02-30 09:30,13.9,100',
      'BAC,2013-10-07T09:30:00-04:00,0,100',
      'BAC,2013-10-07T09:30:00-04:00,abc,100',
      'BAC,2013-10-07T09:30:00-04:00,,100',
      'BAC,2013-10-07T09:30:00-04:00,13.9,-5',
      '',
      'BAC,2013-10-07T09:30:01-04:00,13.95,100',
    ]);
    expect(rejects(rows)).toEqual([
      { line: 2, reason: 'expected 4 columns, found 3' },
      { line: 3, reason: 'missing symbol' },
      { line: 4, reason: expect.stringContaining('bad timestamp "yesterday"') },
      { line: 5, reason: expect.stringContaining('bad timestamp "2013-02-30 09:30"') },
      { line: 6, reason: expect.stringContaining('bad price "0"') },
      { line: 7, reason: expect.stringContaining('bad price "abc"') },
      { line: 8, reason: expect.stringContaining('bad price ""') },
      { line: 9, reason: expect.stringContaining('bad size "-5"') },
    ]);
    expect(trades(rows)).toHaveLength(1);
  });

  it.each(TRADE_BOUND_EDGES)(
    'keeps $bound ($inside) and rejects just past it ($outside), in plain and quoted CSV and in NDJSON',
    async (edge) => {
      const ts = '2013-10-07T09:30:00-04:00';
      const inside = priceAndSize(edge, edge.inside);
      const outside = priceAndSize(edge, edge.outside);
      const csvRow = (values: { price: number; size: number }) => `BAC,${ts},${values.price},${values.size}`;
      const quotedRow = (values: { price: number; size: number }) =>
        `"BAC","${ts}","${values.price}","${values.size}"`;
      const jsonRow = (values: { price: number; size: number }) =>
        JSON.stringify({ symbol: 'BAC', ts, ...values });
      const expected = { symbol: 'BAC', ts: Date.parse(ts), ...inside };
      const rejected = {
        line: 3,
        reason: expect.stringContaining(
          `bad ${edge.field} "${String(edge.outside)}": a ${edge.field} is a number from`,
        ),
      };

      for (const row of [csvRow, quotedRow]) {
        const rows = await read(['symbol,timestamp,price,size', row(inside), row(outside)]);
        expect(trades(rows)).toEqual([expected]);
        expect(rejects(rows)).toEqual([rejected]);
      }
      // NDJSON: the first line is data too, so the rejected one is line 3 here as well.
      const json = await read([jsonRow({ price: 13.9, size: 1 }), jsonRow(inside), jsonRow(outside)]);
      expect(trades(json)).toEqual([{ ...expected, price: 13.9, size: 1 }, expected]);
      expect(rejects(json)).toEqual([rejected]);
    },
  );

  it('refuses a header without the needed columns, saying how to name them', async () => {
    await expect(read(['sym,when,amount', 'BAC,x,1'])).rejects.toThrow(/--columns timestamp=<header name>/);
    await expect(read(['BAC,2013-10-07T09:30:00-04:00,13.9,100'])).rejects.toThrow(/looks like data/);
    await expect(read([])).rejects.toThrow(MarketDataError);
    await expect(read(['symbol,ts,price'], { columns: { symbol: 'Name' } })).rejects.toThrow(
      /no column "Name"/,
    );
  });
});

describe('readMarketData: OHLCV bars', () => {
  const header = 'symbol,bar_start_et,open,high,low,close,volume';

  it('expands an up bar to open, low, high, close and a down bar to open, high, low, close', async () => {
    const rows = await read(
      [header, 'SPY,2010-05-06 14:00,10,12,9,11,401', 'SPY,2010-05-06 15:00,11,12,8,9,4'],
      {
        barLength: '1h',
      },
    );
    const t0 = Date.parse('2010-05-06T18:00:00Z');
    const t1 = t0 + 3_600_000;
    expect(trades(rows)).toEqual([
      { symbol: 'SPY', ts: t0, price: 10, size: 100 },
      { symbol: 'SPY', ts: t0 + 1_200_000, price: 9, size: 100 },
      { symbol: 'SPY', ts: t0 + 2_400_000, price: 12, size: 100 },
      { symbol: 'SPY', ts: t0 + 3_599_999, price: 11, size: 101 },
      { symbol: 'SPY', ts: t1, price: 11, size: 1 },
      { symbol: 'SPY', ts: t1 + 1_200_000, price: 12, size: 1 },
      { symbol: 'SPY', ts: t1 + 2_400_000, price: 8, size: 1 },
      { symbol: 'SPY', ts: t1 + 3_599_999, price: 9, size: 1 },
    ]);
  });

  it('rejects a bar whose high and low do not bracket it, and needs a bar length', async () => {
    const rows = await read([header, 'SPY,2010-05-06 14:00,10,9.5,9,11,1'], { barLength: '1m' });
    expect(rejects(rows)).toEqual([{ line: 2, reason: expect.stringContaining('inconsistent bar') }]);
    await expect(read([header, 'SPY,2010-05-06 14:00,10,12,9,11,1'])).rejects.toThrow(/--bar-length/);
    expect(() => parseBarLength('hourly')).toThrow(/like 1m, 5m, 1h or 1d/);
    expect(parseBarLength('1d')).toBe(86_400_000);
  });
});

describe('openFileLines', () => {
  it('reads gzip and ends a truncated gzip with a reject, keeping every complete row', async () => {
    const lines = ['symbol,timestamp,price,size'];
    for (let i = 0; i < 20_000; i += 1) lines.push(`BAC,${1381152600000 + i},${13 + (i % 97) / 100},${i}`);
    const whole = gzipSync(`${lines.join('\n')}\n`);
    const path = join(tmpdir(), `p3-truncated-${process.pid}.csv.gz`);
    await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)));
    const rows: MarketRow[] = [];
    for await (const row of readMarketData((await openFileLines(path)).batches)) rows.push(row);
    const good = trades(rows);
    expect(good.length).toBeGreaterThan(1000);
    expect(good.length).toBeLessThan(20_000);
    expect(good.map((trade) => trade.size)).toEqual(good.map((_, i) => i));
    expect(rejects(rows)).toEqual([
      { line: good.length + 2, reason: expect.stringMatching(/truncated.*rows after line \d+ are missing/) },
    ]);
  });

  it('says what to give when the path is not a file', async () => {
    await expect(openFileLines('/nonexistent/trades.csv')).rejects.toThrow(/no such file/);
  });
});

describe.skipIf(!existsSync(join(DATA, 'us-equity-minute-bars-sample.csv.gz')))('the real bar files', () => {
  if (!existsSync(DATA)) console.warn(`skipping real-file tests: ${DATA} is absent`);

  it.each([
    ['us-equity-minute-bars-sample.csv.gz', '1m', 21_258],
    ['us-equity-hour-bars-1998-2021.csv.gz', '1h', 225_020],
  ])('reads every bar of %s', { timeout: 30_000 }, async (file, barLength, bars) => {
    let count = 0;
    let rejected = 0;
    let flash: number | undefined;
    for await (const row of readMarketData((await openFileLines(join(DATA, file))).batches, { barLength })) {
      if ('reject' in row) rejected += 1;
      else {
        count += 1;
        // The AAPL 2010-05-06 14:00 ET bar of the Flash Crash starts at 18:00 UTC (EDT).
        if (row.trade.symbol === 'AAPL' && row.trade.ts === Date.parse('2010-05-06T18:00:00Z'))
          flash = row.line;
      }
    }
    expect(rejected).toBe(0);
    expect(count).toBe(bars * 4);
    if (barLength === '1h') expect(flash).toBeDefined();
  });
});
