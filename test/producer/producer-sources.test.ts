import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { MarketDataOptions } from '../../pipeline/market-data/market-data-options.js';
import { uploadLines } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';
import { produceToNewStream, readObject } from './stream-helpers.js';

const MINUTE_BARS = fileURLToPath(
  new URL('../../../shared/data/us-equity-minute-bars-sample.csv.gz', import.meta.url),
);

describe('produce: what the input can be', () => {
  const aws = useTestAws();

  function produce(key: string, marketData: MarketDataOptions = {}) {
    return produceToNewStream(aws, key, { marketData });
  }

  it('replays every object under a prefix in time order, whatever their names', async () => {
    // Keys sort b < c < a, times run a < b < c; an NDJSON file and a CSV file mixed.
    await uploadLines(aws, 'days/b-ticks.csv', [
      'symbol,timestamp,price,size',
      'BAC,2013-10-08 09:30:00,14.0,2',
    ]);
    await uploadLines(aws, 'days/c-ticks.ndjson', [
      '{"symbol":"BAC","ts":"2013-10-09T09:30:00-04:00","price":14.1,"size":3}',
    ]);
    await uploadLines(aws, 'days/a-ticks.csv', ['Name,date,Price,Shares', 'bac,2013-10-07 09:30,13.9,1']);
    await uploadLines(aws, 'rejects/days/old.csv', ['line,reason,row']);

    const { summary, stream } = await produce('days/');

    expect(summary.objects).toEqual(['days/a-ticks.csv', 'days/b-ticks.csv', 'days/c-ticks.ndjson']);
    expect(stream.bySymbol.get('BAC')).toEqual([
      [Date.parse('2013-10-07T13:30:00Z'), 13.9, 1],
      [Date.parse('2013-10-08T13:30:00Z'), 14.0, 2],
      [Date.parse('2013-10-09T13:30:00Z'), 14.1, 3],
    ]);
  });

  it('expands OHLCV bars to four trades each, and asks for a bar length when missing', async () => {
    await uploadLines(aws, 'bars/day.csv', [
      'symbol,bar_start_et,open,high,low,close,volume',
      'AIG,2008-09-15 09:30,10,12,8,9,400',
    ]);

    await expect(produce('bars/day.csv')).rejects.toThrow(/bars\/day\.csv: .*--bar-length/);
    const { stream } = await produce('bars/day.csv', { barLength: '1m' });

    const t0 = Date.parse('2008-09-15T13:30:00Z');
    expect(stream.bySymbol.get('AIG')).toEqual([
      [t0, 10, 100],
      [t0 + 20_000, 12, 100],
      [t0 + 40_000, 8, 100],
      [t0 + 59_999, 9, 100],
    ]);
  });

  it('writes every rejected row, its line and reason to rejects/<key>.csv and goes on', async () => {
    await uploadLines(aws, 'bad/mixed.csv', [
      'symbol,timestamp,price,size',
      'BAC,2013-10-07T09:30:00-04:00,13.9,100',
      'BAC,2013-10-07T09:30:01-04:00,-1,100',
      ',2013-10-07T09:30:02-04:00,13.9,100',
      'BAC,not-a-time,13.9,100',
      'BAC,2013-10-07T09:30:03-04:00,13.9',
      'BAC,2013-10-07T09:30:04-04:00,"1,000",100',
      'BAC,2013-10-07T09:30:05-04:00,13.95,200',
    ]);

    const { summary, stream } = await produce('bad/mixed.csv');

    expect(stream.trades).toBe(2);
    expect(summary.rejected).toBe(5);
    expect(summary.rejectKeys).toEqual(['rejects/bad/mixed.csv.csv']);
    expect((await readObject(aws, 'rejects/bad/mixed.csv.csv')).trimEnd().split('\n')).toEqual([
      'line,reason,row',
      '3,"bad price ""-1"": a price is a number from 0.000001 to 10000000","BAC,2013-10-07T09:30:01-04:00,-1,100"',
      '4,missing symbol,",2013-10-07T09:30:02-04:00,13.9,100"',
      expect.stringMatching(/^5,"bad timestamp ""not-a-time"": use ISO-8601.*","BAC,not-a-time,13.9,100"$/),
      '6,"expected 4 columns, found 3","BAC,2013-10-07T09:30:03-04:00,13.9"',
      '7,"bad price ""1,000"": a price is a number from 0.000001 to 10000000","BAC,2013-10-07T09:30:04-04:00,""1,000"",100"',
    ]);
  });

  it.skipIf(!existsSync(MINUTE_BARS))(
    'puts every bar of the real minute-bar sample on the stream',
    async () => {
      await aws.clients.s3.send(
        new PutObjectCommand({
          Bucket: aws.names.bucket,
          Key: 'real/minute.csv.gz',
          Body: readFileSync(MINUTE_BARS),
        }),
      );

      const { summary, stream } = await produce('real/minute.csv.gz', { barLength: '1m' });

      expect(summary.rejected).toBe(0);
      expect(stream.trades).toBe(21_258 * 4);
    },
  );
});
