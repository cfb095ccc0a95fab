import { describe, expect, it } from 'vitest';
import type { MarketDataOptions } from '../../pipeline/market-data/market-data-options.js';
import { S3ProducerCheckpoints } from '../../pipeline/producer/producer-checkpoint.js';
import { uploadLines } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';
import { produceToNewStream, readObject } from '../producer/stream-helpers.js';

const T = '2024-01-02T09:30:0';

describe('produce: hostile rows are rejected one by one and never reach PutRecords', () => {
  const aws = useTestAws();

  /** With checkpoints, as `stockalert produce` runs: a bad row must not stop the run and leave a resume point before it. */
  function produce(key: string, marketData: MarketDataOptions = {}) {
    const checkpoints = new S3ProducerCheckpoints(aws.clients.s3, aws.names.bucket);
    return produceToNewStream(aws, key, { marketData, checkpoints });
  }

  async function rejectedLines(key: string): Promise<number[]> {
    const rows = (await readObject(aws, `rejects/${key}.csv`)).trimEnd().split('\n').slice(1);
    return rows.map((row) => Number(row.split(',', 1)[0]));
  }

  it('rejects bad symbols, unbounded numbers and an overlong line in a CSV, and produces the rest', async () => {
    await uploadLines(aws, 'hostile/ticks.csv', [
      'symbol,timestamp,price,size',
      `BAC,${T}1-05:00,13.9,100`,
      `${'X'.repeat(300)},${T}1-05:00,13.9,100`,
      `[object Object],${T}1-05:00,13.9,100`,
      `B\u0000C,${T}1-05:00,13.9,100`,
      `B\uFFFDC,${T}1-05:00,13.9,100`,
      `\u00DFAC,${T}1-05:00,13.9,100`,
      `BAC,${T}2-05:00,1e309,100`,
      `BAC,${T}2-05:00,Infinity,100`,
      `BAC,${T}2-05:00,1e308,100`,
      `BAC,${T}2-05:00,13.9,1e400`,
      `BAC,${T}2-05:00,${'9'.repeat(2000)},100`,
      `aig,${T}3-05:00,30.5,200`,
    ]);

    const { summary, stream } = await produce('hostile/ticks.csv', { maxLineBytes: 1024 });

    expect(stream.trades).toBe(2);
    expect([...stream.bySymbol.keys()].sort()).toEqual(['AIG', 'BAC']);
    expect(stream.misrouted).toEqual([]);
    expect(summary.rejected).toBe(10);
    expect(await rejectedLines('hostile/ticks.csv')).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(await readObject(aws, 'rejects/hostile/ticks.csv.csv')).toContain(
      '\n12,"line longer than 1024 bytes',
    );
    expect(summary.rejectSamples.map((sample) => sample.reason)).toEqual([
      expect.stringMatching(/^bad symbol "X{40}…": a symbol is 1–10 characters/),
      expect.stringContaining('bad symbol "[object Object]"'),
      expect.stringContaining('bad symbol "B\\u0000C"'),
      expect.stringContaining('bad symbol "B\uFFFDC"'),
      expect.stringContaining('bad symbol "\u00DFAC"'),
    ]);
  });

  it('copies a preview of a long rejected row into the rejects file, not the whole row', async () => {
    await uploadLines(aws, 'hostile/wide.csv', [
      'symbol,timestamp,price,size',
      `${'W'.repeat(50_000)},${T}1-05:00,13.9,100`,
      `BAC,${T}2-05:00,13.9,100`,
    ]);

    const { summary } = await produce('hostile/wide.csv');

    expect(summary.rejected).toBe(1);
    const rejects = await readObject(aws, 'rejects/hostile/wide.csv.csv');
    expect(rejects).toMatch(/^line,reason,row\n2,"bad symbol "".{1,60}"": .*",W{1000}…\n$/u);
  });

  it('rejects an NDJSON symbol that is not a string and prices JSON reads as Infinity', async () => {
    await uploadLines(aws, 'hostile/ticks.ndjson', [
      `{"symbol":"BAC","ts":"${T}1-05:00","price":13.9,"size":100}`,
      `{"symbol":{},"ts":"${T}1-05:00","price":13.9,"size":100}`,
      `{"symbol":123,"ts":"${T}1-05:00","price":13.9,"size":100}`,
      `{"symbol":"BAC","ts":"${T}2-05:00","price":1e999,"size":100}`,
      `{"symbol":"BAC","ts":"${T}2-05:00","price":13.9,"size":-1e999}`,
      `{"symbol":"BAC","ts":"${T}3-05:00","price":14,"size":100}`,
    ]);

    const { summary, stream } = await produce('hostile/ticks.ndjson');

    expect(stream.bySymbol.get('BAC')?.map(([, price]) => price)).toEqual([13.9, 14]);
    expect(summary.rejected).toBe(4);
    expect(await rejectedLines('hostile/ticks.ndjson')).toEqual([2, 3, 4, 5]);
  });

  it('rejects bars whose prices or volume are not finite and bounded', async () => {
    await uploadLines(aws, 'hostile/bars.csv', [
      'symbol,timestamp,open,high,low,close,volume',
      `SPY,${T}0-05:00,100,101,99,100.5,4000`,
      `SPY,${T}1-05:00,100,1e309,99,100.5,4000`,
      `SPY,${T}2-05:00,100,101,99,100.5,1e13`,
    ]);

    const { summary, stream } = await produce('hostile/bars.csv', { barLength: '1m' });

    expect(stream.trades).toBe(4);
    expect(summary.rejectSamples.map((sample) => sample.line)).toEqual([3, 4]);
  });
});
