import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { produceTrades } from '../../pipeline/producer/produce-trades.js';
import { S3ProducerCheckpoints } from '../../pipeline/producer/producer-checkpoint.js';
import { memoryLogger, uploadLines } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';
import { createStream, firstDifference, readTrades, type Tick } from './stream-helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SYMBOLS = ['SPY', 'BAC', 'AIG', 'IBM', 'AAPL'];
const ROWS = 3000;
const SOURCE = 's3://stockalert-data/resume/ticks.csv';

describe('produce, killed mid-file and run again', () => {
  let dataDir: string;

  // Registered before the stack's hooks, so that it runs after the stack has stopped.
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  // In the data folder the producer reads, so that it finds the stack's credentials there.
  const aws = useTestAws({
    dataDir: async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'stockalert-resume-'));
      return join(dataDir, 'aws');
    },
  });

  function produceCommand(streamName: string, ...extra: string[]): ChildProcess {
    const port = (url: string) => new URL(url).port;
    const { endpoints } = aws.connection;
    return spawn(
      process.execPath,
      ['--import', 'tsx', 'cli/stockalert.ts', 'produce', SOURCE, '--stream', streamName, ...extra],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          STOCKALERT_LOCAL_PORTS: `${port(endpoints.dynamodb)},${port(endpoints.kinesis)},${port(endpoints.s3)}`,
          STOCKALERT_DATA_DIR: dataDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  }

  it('keeps the embedded stack up when a producer dies in the middle of a request', async () => {
    for (const endpoint of [aws.connection.endpoints.kinesis, aws.connection.endpoints.dynamodb]) {
      const url = new URL(endpoint);
      const socket = connect(Number(url.port), url.hostname);
      await once(socket, 'connect');
      socket.write(
        'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 999\r\n\r\n{"Str',
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const streamName = await createStream(aws, 1);
    expect((await readTrades(aws, streamName)).trades).toBe(0);
  });

  it('stops during a paced pause when asked, and resumes after it with nothing lost', async () => {
    // Two trades, then an hour of market silence: at --speed 1 the producer would wait an hour.
    const t0 = Date.parse('2013-10-07T13:30:00Z');
    const rows = [
      [t0, 13.9, 100],
      [t0 + 5, 13.91, 200],
      [t0 + 3_600_000, 14.2, 300],
      [t0 + 3_600_001, 14.21, 400],
    ] as const;
    await uploadLines(aws, 'resume/paced.csv', [
      'symbol,timestamp,price,size',
      ...rows.map(([ts, price, size]) => `BAC,${ts},${price},${size}`),
    ]);
    const streamName = await createStream(aws, 1);
    const checkpoints = new S3ProducerCheckpoints(aws.clients.s3, aws.names.bucket);
    const options = {
      s3: aws.clients.s3,
      kinesis: aws.clients.kinesis,
      bucket: aws.names.bucket,
      key: 'resume/paced.csv',
      streamName,
      logger: memoryLogger().logger,
      checkpoints,
    };
    const abort = new AbortController();

    const paused = produceTrades({ ...options, speed: 1, signal: abort.signal });
    while ((await readTrades(aws, streamName)).trades < 2)
      await new Promise((resolve) => setTimeout(resolve, 20));
    abort.abort();
    const first = await paused;

    expect(first).toMatchObject({ aborted: true, trades: 2 });
    expect((await checkpoints.load('s3://stockalert-data/resume/paced.csv'))?.line).toBe(4);
    const second = await produceTrades({ ...options, speed: 'max' });
    expect(second).toMatchObject({ aborted: false, trades: 2, resumedFrom: { line: 4 } });
    expect((await readTrades(aws, streamName)).bySymbol.get('BAC')).toEqual(rows);
  });

  it('resumes from its checkpoint with no gap in any symbol', { timeout: 90_000 }, async () => {
    const lines = ['symbol,timestamp,price,size'];
    const expected = new Map<string, Tick[]>(SYMBOLS.map((symbol) => [symbol, []]));
    for (let i = 0; i < ROWS; i += 1) {
      const symbol = SYMBOLS[(i * 7 + (i >> 4)) % SYMBOLS.length] as string;
      const ts = Date.parse('2013-10-07T13:30:00Z') + i * 10;
      const price = Number((50 + ((i * 13) % 500) / 100).toFixed(2));
      lines.push(`${symbol},${new Date(ts).toISOString()},${price},${i + 1}`);
      expected.get(symbol)?.push([ts, price, i + 1]);
    }
    await uploadLines(aws, 'resume/ticks.csv', lines);
    const streamName = await createStream(aws, 2);
    const checkpoints = new S3ProducerCheckpoints(aws.clients.s3, aws.names.bucket);

    // Slow enough (10 trades a record, 5 records/s a shard: about 30 s for the file) to be killed
    // mid-file even on a loaded machine, where starting the child alone can take seconds.
    const first = produceCommand(streamName, '--trades-per-record', '10', '--records-per-second', '5');
    const exited = once(first, 'exit');
    // s3rver writes objects in place, so a poll can meet a half-written checkpoint: just poll again.
    const poll = () => checkpoints.load(SOURCE).catch(() => undefined);
    let saved = await poll();
    while ((saved?.line ?? 0) < 200) {
      if (first.exitCode !== null)
        throw new Error(`the producer ended before it could be killed (${first.exitCode})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      saved = await poll();
    }
    first.kill('SIGKILL');
    await exited;
    const killed = await readTrades(aws, streamName);
    expect(killed.trades).toBeGreaterThan(0);
    expect(killed.trades).toBeLessThan(ROWS);

    const second = produceCommand(streamName);
    let output = '';
    second.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    second.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [code] = await once(second, 'exit');
    expect(output).toMatch(/resumed at line \d+ of resume\/ticks\.csv/);
    expect(code, output).toBe(0);
    const after = await readTrades(aws, streamName);

    for (const [symbol, ticks] of expected) {
      const before = killed.bySymbol.get(symbol) ?? [];
      const resent = (after.bySymbol.get(symbol) ?? []).slice(before.length);
      expect(firstDifference(before, ticks.slice(0, before.length)), symbol).toBeUndefined();
      expect(resent.length, symbol).toBeGreaterThanOrEqual(ticks.length - before.length);
      expect(firstDifference(resent, ticks.slice(ticks.length - resent.length)), symbol).toBeUndefined();
    }
    expect(await checkpoints.load(SOURCE)).toBeUndefined();
  });
});
