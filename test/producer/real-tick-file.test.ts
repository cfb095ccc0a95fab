import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { produceTrades } from '../../pipeline/producer/produce-trades.js';
import { decodeTradeRecord } from '../../shared/records/trade-record-codec.js';
import { readStream } from '../helpers/kinesis-records.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';
import { createStream } from './stream-helpers.js';

const REAL_FILE = fileURLToPath(
  new URL('../../../shared/data/us-equity-trades-2013-10-07_11.csv.gz', import.meta.url),
);
const ALL_TRADES = 2_793_812;

/** One symbol's trades as columns: 2.8 million tuples as arrays of objects would not fit a test worker. */
interface Columns {
  readonly ts: number[];
  readonly price: number[];
  readonly size: number[];
}

/** The file read with nothing of the producer: split, Date.parse, Number. */
async function expectedBySymbol(): Promise<Map<string, Columns>> {
  const bySymbol = new Map<string, Columns>();
  const lines = createInterface({
    input: createReadStream(REAL_FILE).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    const [symbol, timestamp, price, size] = line.split(',') as [string, string, string, string];
    let columns = bySymbol.get(symbol);
    if (columns === undefined) {
      columns = { ts: [], price: [], size: [] };
      bySymbol.set(symbol, columns);
    }
    columns.ts.push(Date.parse(timestamp));
    columns.price.push(Number(price));
    columns.size.push(Number(size));
  }
  return bySymbol;
}

if (!existsSync(REAL_FILE)) {
  console.warn(`skipping the real tick file test: ${REAL_FILE} is not present (CI provides ../shared/data)`);
}

describe.skipIf(!existsSync(REAL_FILE))('the whole real tick file through Kinesis', () => {
  const aws = useTestAws();

  it('puts all 2,793,812 trades on the stream with every symbol sequence as in the file', {
    timeout: 180_000,
  }, async () => {
    const { size } = await stat(REAL_FILE);
    await aws.clients.s3.send(
      new PutObjectCommand({
        Bucket: aws.names.bucket,
        Key: 'real/ticks.csv.gz',
        Body: createReadStream(REAL_FILE),
        ContentLength: size,
      }),
    );
    const streamName = await createStream(aws, 2);

    const summary = await produceTrades({
      s3: aws.clients.s3,
      kinesis: aws.clients.kinesis,
      bucket: aws.names.bucket,
      key: 'real/ticks.csv.gz',
      streamName,
      speed: 'max',
      logger: memoryLogger().logger,
    });
    const expected = await expectedBySymbol();
    const records = await readStream(aws.clients.kinesis, streamName);

    expect(summary).toMatchObject({ trades: ALL_TRADES, rejected: 0, records: records.length });
    const position = new Map<string, number>();
    const mismatches: string[] = [];
    let trades = 0;
    for (const record of records) {
      for (const trade of decodeTradeRecord(record.data)) {
        trades += 1;
        const columns = expected.get(trade.symbol);
        const i = position.get(trade.symbol) ?? 0;
        position.set(trade.symbol, i + 1);
        if (trade.symbol !== record.partitionKey)
          mismatches.push(`${trade.symbol} keyed ${record.partitionKey}`);
        if (
          columns?.ts[i] !== trade.ts ||
          columns.price[i] !== trade.price ||
          columns.size[i] !== trade.size
        ) {
          mismatches.push(`${trade.symbol} #${i}: got ${trade.ts},${trade.price},${trade.size}`);
        }
        if (mismatches.length > 5) break;
      }
    }
    expect(mismatches).toEqual([]);
    expect(trades).toBe(ALL_TRADES);
    expect(Object.fromEntries(position)).toEqual(
      Object.fromEntries([...expected].map(([symbol, columns]) => [symbol, columns.ts.length])),
    );
  });
});
