import { describe, expect, it } from 'vitest';
import { TradeCsvParser, TradeFileError } from '../../pipeline/producer/trade-csv-parser.js';

const HEADER = 'symbol,timestamp,price,size';
/** 2013-10-07 09:30:00.464 New York time. */
const OPEN_TS = Date.UTC(2013, 9, 7, 13, 30, 0, 464);

function parseRow(header: string, row: string, line = 2) {
  return new TradeCsvParser(header).parse(row, line);
}

describe('TradeCsvParser header', () => {
  it('reads the columns of the real tick file, ignoring the extra ones', () => {
    const parser = new TradeCsvParser('symbol,timestamp,price,size,exchange,conditions,suspicious');

    expect(parser.parse('SPY,2013-10-07T09:30:00.464-04:00,167.41,100,P,20002000,0', 2)).toEqual({
      trade: { symbol: 'SPY', ts: OPEN_TS, price: 167.41, size: 100 },
    });
  });

  it('finds the columns in any order, with unknown columns in between', () => {
    const parser = new TradeCsvParser('size,venue_note,price,timestamp,symbol');

    expect(parser.parse('250,odd lot,13.92,2013-10-07T09:30:00.464-04:00,BAC', 2)).toEqual({
      trade: { symbol: 'BAC', ts: OPEN_TS, price: 13.92, size: 250 },
    });
  });

  it('accepts a byte-order mark and mixed-case, padded column names', () => {
    const parser = new TradeCsvParser('\uFEFF Symbol ,TIMESTAMP,Price,size');

    expect(parser.parse('IBM,1381152600464,186.5,10', 2)).toEqual({
      trade: { symbol: 'IBM', ts: OPEN_TS, price: 186.5, size: 10 },
    });
  });

  it('refuses a header without a required column and names the column', () => {
    expect(() => new TradeCsvParser('symbol,timestamp,size,exchange')).toThrow(TradeFileError);
    expect(() => new TradeCsvParser('symbol,timestamp,size,exchange')).toThrow(
      /lacks the column\(s\) price;/,
    );
  });

  it('names every missing column at once', () => {
    expect(() => new TradeCsvParser('ticker,time,price,qty')).toThrow(
      /lacks the column\(s\) symbol, timestamp, size;/,
    );
  });

  it('treats a data row given as the header as a file error, not as trades', () => {
    expect(() => new TradeCsvParser('BAC,2013-10-07T09:30:00-04:00,13.9,100')).toThrow(TradeFileError);
  });
});

describe('TradeCsvParser rows', () => {
  it.each([
    ['too few columns', 'BAC,2013-10-07T09:30:00Z,13.9', 'expected 4 columns, found 3'],
    ['too many columns', 'BAC,2013-10-07T09:30:00Z,13.9,100,X', 'expected 4 columns, found 5'],
    ['an empty symbol', ',2013-10-07T09:30:00Z,13.9,100', 'missing symbol'],
    ['a blank symbol', '  ,2013-10-07T09:30:00Z,13.9,100', 'missing symbol'],
    ['an unparseable timestamp', 'BAC,yesterday,13.9,100', 'bad timestamp "yesterday"'],
    ['an empty timestamp', 'BAC,,13.9,100', 'bad timestamp ""'],
    ['a naive timestamp', 'BAC,2013-10-07T09:30:00,13.9,100', 'bad timestamp "2013-10-07T09:30:00"'],
    ['a date without a time', 'BAC,2013-10-07,13.9,100', 'bad timestamp "2013-10-07"'],
    ['an impossible date', 'BAC,2013-13-45T09:30:00Z,13.9,100', 'bad timestamp "2013-13-45T09:30:00Z"'],
    ['epoch seconds', 'BAC,1381152600,13.9,100', 'bad timestamp "1381152600"'],
    ['a zero price', 'BAC,2013-10-07T09:30:00Z,0,100', 'bad price "0"'],
    ['a negative price', 'BAC,2013-10-07T09:30:00Z,-13.9,100', 'bad price "-13.9"'],
    ['an unparseable price', 'BAC,2013-10-07T09:30:00Z,13.9x,100', 'bad price "13.9x"'],
    ['an empty price', 'BAC,2013-10-07T09:30:00Z,,100', 'bad price ""'],
    ['an infinite price', 'BAC,2013-10-07T09:30:00Z,Infinity,100', 'bad price "Infinity"'],
    ['a negative size', 'BAC,2013-10-07T09:30:00Z,13.9,-100', 'bad size "-100"'],
    ['an unparseable size', 'BAC,2013-10-07T09:30:00Z,13.9,lots', 'bad size "lots"'],
    ['an empty size', 'BAC,2013-10-07T09:30:00Z,13.9,', 'bad size ""'],
  ])('rejects a row with %s, giving its line and the reason', (_kind, row, reason) => {
    const result = parseRow(HEADER, row, 17);

    expect(result).toEqual({ reject: { line: 17, reason: expect.stringContaining(reason) } });
  });

  it('explains how to write a timestamp it refuses', () => {
    expect(parseRow(HEADER, 'BAC,2013-10-07T09:30:00,13.9,100')).toEqual({
      reject: {
        line: 2,
        reason: 'bad timestamp "2013-10-07T09:30:00": use ISO-8601 with an offset or epoch milliseconds',
      },
    });
  });

  it('counts columns of the header, so a row of the real file without its extras is rejected', () => {
    const result = parseRow('symbol,timestamp,price,size,exchange', 'BAC,2013-10-07T09:30:00Z,13.9,100', 9);

    expect(result).toEqual({ reject: { line: 9, reason: 'expected 5 columns, found 4' } });
  });

  it.each([
    ['an ISO time with a negative offset', '2013-10-07T09:30:00.464-04:00', OPEN_TS],
    ['an ISO time in UTC', '2013-10-07T13:30:00.464Z', OPEN_TS],
    ['an ISO time with a positive offset', '2013-10-07T19:00:00.464+05:30', OPEN_TS],
    ['an ISO time with an offset without a colon', '2013-10-07T09:30:00.464-0400', OPEN_TS],
    ['epoch milliseconds', '1381152600464', OPEN_TS],
    ['a padded timestamp', ' 2013-10-07T09:30:00.464-04:00 ', OPEN_TS],
  ])('reads %s as the right epoch milliseconds', (_kind, timestamp, expected) => {
    const result = parseRow(HEADER, `BAC,${timestamp},13.9,100`);

    expect(result).toEqual({ trade: { symbol: 'BAC', ts: expected, price: 13.9, size: 100 } });
  });

  it('upper-cases and trims the symbol', () => {
    expect(parseRow(HEADER, ' bac ,1381152600464,13.9,100')).toEqual({
      trade: { symbol: 'BAC', ts: OPEN_TS, price: 13.9, size: 100 },
    });
  });
});
