/**
 * `npm run bench:producer`: the producer over the real tick file (2,793,812 trades). Measures, in one run:
 * the input's physical limit (plain read-gunzip-split-parse), the producer's own path into a null sink
 * for each record-format candidate, end to end into kinesalite under the per-shard limits it prints,
 * and peak RSS on the file and on a 10× larger one generated under /tmp. Writes bench/results/producer.json.
 */
import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { KINESIS_SHARD_LIMITS } from '../pipeline/producer/token-bucket.js';
import { createAwsClients } from '../shared/aws/aws-clients.js';
import { startEmbeddedAws } from '../shared/aws/embedded-aws.js';
import { provisionResources } from '../shared/aws/provision-resources.js';
import { DEFAULT_RESOURCE_NAMES, STREAMS } from '../shared/aws/resources.js';
import { baselineParse } from './producer-baseline.js';
import { generateLargerFile, headSlice } from './producer-bench-files.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const run = promisify(execFile);
const FILE = fileURLToPath(
  new URL('../../shared/data/us-equity-trades-2013-10-07_11.csv.gz', import.meta.url),
);
const LARGE_FILE = '/tmp/stockalert-bench/us-equity-trades-10x.csv';
const CHILD = fileURLToPath(new URL('./producer-child.ts', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/producer.json', import.meta.url));
const FORMATS = ['binary', 'kpl', 'json'] as const;
const SLICE_TRADES = 300_000;
const TRADES_PER_RECORD = 2000;

interface ChildResult {
  trades: number;
  rejected: number;
  seconds: number;
  records: number;
  bytes?: number;
  shards?: number;
  peakRssMB: number;
}

async function child(...args: string[]): Promise<ChildResult> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    maxBuffer: 1 << 20,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as ChildResult;
}

async function best<T extends { seconds: number }>(times: number, measure: () => Promise<T>): Promise<T> {
  let fastest: T | undefined;
  for (let i = 0; i < times; i += 1) {
    const result = await measure();
    if (fastest === undefined || result.seconds < fastest.seconds) fastest = result;
  }
  return fastest as T;
}

const perSec = (count: number, seconds: number) => Math.round(count / seconds);
const say = (text: string) => process.stdout.write(`${text}\n`);

if (!existsSync(FILE)) {
  say(`the tick file ${FILE} is absent: the producer benchmark needs ../shared/data`);
  process.exit(1);
}

say(`producer benchmark on ${FILE} (${cpus().length} cores; numbers are noisy when the machine is shared)`);
const baseline = await best(3, () => baselineParse(FILE));
const trades = baseline.trades;
say(`baseline read-gunzip-split-parse: ${perSec(trades, baseline.seconds).toLocaleString('en-US')} trades/s`);

const pipeline: Record<string, ChildResult> = {};
for (const format of FORMATS) {
  pipeline[format] = await best(format === 'binary' ? 3 : 1, () => child('pipeline', FILE, format));
  say(
    `pipeline (${format}) into a null sink: ${perSec(trades, (pipeline[format] as ChildResult).seconds).toLocaleString('en-US')} trades/s`,
  );
}

const aws = await startEmbeddedAws();
const clients = createAwsClients(aws.connection);
await provisionResources(clients, DEFAULT_RESOURCE_NAMES);
const shards = STREAMS.trades.shardCount;
const bucket = DEFAULT_RESOURCE_NAMES.bucket;
const { size } = await stat(FILE);
await clients.s3.send(
  new PutObjectCommand({
    Bucket: bucket,
    Key: 'bench/ticks.csv.gz',
    Body: createReadStream(FILE),
    ContentLength: size,
  }),
);
const slice = await headSlice(FILE, SLICE_TRADES);
await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'bench/slice.csv.gz', Body: slice }));

async function createStream(name: string): Promise<string> {
  await clients.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  while (
    (await clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name })))
      .StreamDescriptionSummary?.StreamStatus !== 'ACTIVE'
  ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return name;
}

const connection = JSON.stringify(aws.connection);
say(
  `kinesalite: ${shards} shards, per shard ${KINESIS_SHARD_LIMITS.recordsPerSecond} records/s and ${KINESIS_SHARD_LIMITS.bytesPerSecond} B/s (the real Kinesis limits, enforced by the producer)`,
);
const kinesis = await child(
  'kinesis',
  connection,
  bucket,
  'bench/ticks.csv.gz',
  await createStream('bench-binary'),
  'binary',
  String(TRADES_PER_RECORD),
);
say(`end to end (binary): ${perSec(kinesis.trades, kinesis.seconds).toLocaleString('en-US')} trades/s`);
const kinesisSlice: Record<string, ChildResult> = {};
for (const format of FORMATS) {
  kinesisSlice[format] = await child(
    'kinesis',
    connection,
    bucket,
    'bench/slice.csv.gz',
    await createStream(`bench-slice-${format}`),
    format,
    String(TRADES_PER_RECORD),
  );
  say(
    `end to end (${format}, first ${SLICE_TRADES.toLocaleString('en-US')} trades): ${perSec(SLICE_TRADES, (kinesisSlice[format] as ChildResult).seconds).toLocaleString('en-US')} trades/s`,
  );
}
clients.destroy();
await aws.stop();

await mkdir('/tmp/stockalert-bench', { recursive: true });
const largeBytes = await generateLargerFile(FILE, LARGE_FILE, 10);
const large = await child('pipeline', LARGE_FILE, 'binary');
say(
  `10× file (${(largeBytes / 1e6).toFixed(0)} MB plain): ${large.trades.toLocaleString('en-US')} trades, peak RSS ${large.peakRssMB.toFixed(0)} MB`,
);

const chosen = pipeline.binary as ChildResult;
const results = {
  file: 'us-equity-trades-2013-10-07_11.csv.gz',
  trades,
  format: 'binary',
  tradesPerRecord: TRADES_PER_RECORD,
  baselineTradesPerSec: perSec(trades, baseline.seconds),
  pipelineTradesPerSec: perSec(trades, chosen.seconds),
  pipelineToBaseline: Number((baseline.seconds / chosen.seconds).toFixed(2)),
  kinesisTradesPerSec: perSec(kinesis.trades, kinesis.seconds),
  recordsPerSec: perSec(kinesis.records, kinesis.seconds),
  bytesPerTrade: Number(((chosen.bytes ?? 0) / trades).toFixed(2)),
  peakRssMB: Math.round(Math.max(chosen.peakRssMB, kinesis.peakRssMB, large.peakRssMB)),
  peakRss: {
    pipelineMB: Math.round(chosen.peakRssMB),
    endToEndMB: Math.round(kinesis.peakRssMB),
    tenTimesFileMB: Math.round(large.peakRssMB),
    tenTimesFileTrades: large.trades,
    tenTimesFileBytes: largeBytes,
  },
  kinesis: {
    shards,
    ...KINESIS_SHARD_LIMITS,
    trades: kinesis.trades,
    records: kinesis.records,
    seconds: kinesis.seconds,
  },
  candidates: FORMATS.map((format) => {
    const p = pipeline[format] as ChildResult;
    const k = kinesisSlice[format] as ChildResult;
    return {
      format,
      bytesPerTrade: Number(((p.bytes ?? 0) / trades).toFixed(2)),
      pipelineTradesPerSec: perSec(trades, p.seconds),
      kinesisTradesPerSecOnSlice: perSec(k.trades, k.seconds),
    };
  }),
  machine: {
    cores: cpus().length,
    node: process.version,
    note: 'shared by several engineers while measured',
  },
  measuredAt: new Date().toISOString(),
};
await mkdir(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

say('');
say('| figure | value |');
say('| --- | --- |');
for (const [name, value] of Object.entries(results)) {
  if (typeof value === 'number') say(`| ${name} | ${value.toLocaleString('en-US')} |`);
}
say('');
say('| format | bytes/trade | pipeline trades/s | Kinesis trades/s (slice) |');
say('| --- | --- | --- | --- |');
for (const c of results.candidates) {
  say(
    `| ${c.format} | ${c.bytesPerTrade} | ${c.pipelineTradesPerSec.toLocaleString('en-US')} | ${c.kinesisTradesPerSecOnSlice.toLocaleString('en-US')} |`,
  );
}
say(`\nwrote ${RESULTS}`);
