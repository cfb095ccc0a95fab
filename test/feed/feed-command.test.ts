import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { FakeAlpaca, type FakeAlpacaOptions } from '../fakes/fake-alpaca.js';
import { waitUntil } from '../fakes/wait.js';
import { aScriptTrade, aWatch, streamedTrades } from '../helpers/feed.js';
import { useTestAws } from '../helpers/use-test-aws.js';

let fake: FakeAlpaca | undefined;
let dataDir: string;

// The feed process joins this stack with the credentials it wrote to the data folder.
const aws = useTestAws({
  dataDir: async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'stockalert-feed-'));
    return join(dataDir, 'aws');
  },
});

beforeAll(async () => {
  const watches = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
  await watches.put(aWatch({ symbol: 'BAC' }));
  await watches.put(aWatch({ symbol: 'IBM' }));
});

afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

interface Run {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly exit: Promise<number | null>;
}

/** `stockalert feed alpaca` in a child process, joining the test's embedded stack, against the fake. */
async function feedCommand(
  options: FakeAlpacaOptions,
  env: Record<string, string>,
  ...args: string[]
): Promise<Run> {
  fake = await FakeAlpaca.start(options);
  const { endpoints } = aws.connection;
  const ports = [endpoints.dynamodb, endpoints.kinesis, endpoints.s3]
    .map((url) => new URL(url).port)
    .join(',');
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/stockalert.ts', 'feed', 'alpaca', ...args], {
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      STOCKALERT_LOCAL_PORTS: ports,
      STOCKALERT_DATA_DIR: dataDir,
      ALPACA_API_KEY_ID: fake.keyId,
      ALPACA_API_SECRET_KEY: fake.secret,
      ALPACA_STREAM_URL: fake.streamUrl(args.includes('sip') ? 'sip' : 'iex'),
      ALPACA_DATA_URL: fake.restUrl,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exit };
}

describe('stockalert feed alpaca', () => {
  it('ends with what to do when Alpaca refuses the keys, without printing them', async () => {
    const run = await feedCommand({}, { ALPACA_API_SECRET_KEY: 'wrong-secret-123' });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(
      /refused the API keys \(Alpaca said: 402 auth failed\)\. Check ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY/,
    );
    expect(run.stderr()).not.toContain('wrong-secret-123');
  });

  it('ends with what to do when the plan allows fewer trade symbols than asked for', async () => {
    const run = await feedCommand({ symbolLimit: 1 }, { STOCKALERT_FEED_MAX_TRADE_SYMBOLS: '5' });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/405 symbol limit exceeded\)\. Lower STOCKALERT_FEED_MAX_TRADE_SYMBOLS/);
  });

  it('ends with what to do when the plan does not include the feed', async () => {
    const run = await feedCommand({ forbiddenFeeds: ['sip'] }, {}, '--feed', 'sip');
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/409 insufficient subscription\)\. Use --feed iex/);
  });

  it('says which variables to set when the keys are missing', async () => {
    const run = await feedCommand({}, { ALPACA_API_KEY_ID: '', ALPACA_API_SECRET_KEY: '' });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/set ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY/);
  });

  it('streams the watched symbols and, on Ctrl-C, flushes the trades in hand to the stream and the archive', async () => {
    const run = await feedCommand({}, {}, '--symbols', 'SPY');
    await waitUntil(
      () => (fake?.subscribedTrades().join() === 'BAC,IBM,SPY' ? true : undefined),
      'the subscription',
      20_000,
    );
    const t0 = Date.parse('2024-03-05T15:00:00Z');
    fake?.printTrades([
      aScriptTrade({ symbol: 'SPY', id: 1, ts: t0, price: 500 }),
      aScriptTrade({ symbol: 'SPY', id: 2, ts: t0 + 1, price: 501 }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.child.kill('SIGINT');

    expect(await run.exit).toBe(0);
    expect((await streamedTrades(aws, 'SPY')).map((trade) => trade.price)).toEqual([500, 501]);
    const listed = await aws.clients.s3.send(
      new ListObjectsV2Command({ Bucket: aws.names.bucket, Prefix: 'archive/trades/' }),
    );
    expect(listed.Contents?.map((object) => object.Key)).toEqual(['archive/trades/2024/03/05/15.csv.gz']);
  });
});
