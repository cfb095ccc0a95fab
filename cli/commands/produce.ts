import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseBarLength, parseColumnsOption } from '../../pipeline/market-data/market-data-options.js';
import { createTimestampReader } from '../../pipeline/market-data/timestamp-reader.js';
import { type ProduceSummary, produceTrades } from '../../pipeline/producer/produce-trades.js';
import { S3ProducerCheckpoints } from '../../pipeline/producer/producer-checkpoint.js';
import type { ReplaySpeed } from '../../pipeline/producer/replay-sources.js';
import { KINESIS_SHARD_LIMITS } from '../../pipeline/producer/token-bucket.js';
import { JsonLinesLogger } from '../../shared/log/json-lines-logger.js';
import { TRADE_RECORD_FORMATS, type TradeRecordFormat } from '../../shared/records/trade-record-codec.js';
import { openAwsSession } from '../aws-session.js';
import { loadCliConfig } from '../cli-config.js';
import { ReplayProgress } from '../replay-progress.js';
import type { RegisterCommand } from './index.js';
import { MAX_LINE_BYTES_FLAG, MAX_LINE_BYTES_HELP, parseMaxLineBytes } from './max-line-bytes-option.js';
import { parseS3Uri, type S3Location } from './s3-uri.js';

interface ProduceFlags {
  readonly speed: ReplaySpeed;
  readonly barLength?: string;
  readonly columns?: string;
  readonly timezone: string;
  readonly maxLineBytes?: number;
  readonly format: TradeRecordFormat;
  readonly tradesPerRecord: number;
  readonly recordsPerSecond: number;
  readonly bytesPerSecond: number;
  readonly maxAttempts: number;
  readonly stream?: string;
  readonly fromStart?: boolean;
}

/** `stockalert produce s3://bucket/key-or-prefix`: replays market data from S3 onto the trades stream. */
export const registerProduce: RegisterCommand = (program: Command) => {
  program
    .command('produce')
    .description(
      'Put the trades of an S3 object (or of every object under a prefix, in time order) on the trades stream. ' +
        'Reads trade ticks or OHLCV bars, CSV or NDJSON, plain or gzip. Resumes from its checkpoint after a crash.',
    )
    .argument('<source>', 's3://bucket/key or s3://bucket/prefix/', parseS3Uri)
    .option(
      '--speed <speed>',
      'market seconds per wall second: 1 (real time), 60, … or max',
      parseSpeed,
      'max',
    )
    .option('--bar-length <length>', 'length of each OHLCV bar, e.g. 1m, 1h, 1d (required for bar files)')
    .option(
      '--columns <map>',
      'header names of fields the header detection misses, e.g. symbol=Name,timestamp=date',
    )
    .option('--timezone <zone>', 'IANA zone of naive timestamps', 'America/New_York')
    .option(MAX_LINE_BYTES_FLAG, MAX_LINE_BYTES_HELP, parseMaxLineBytes)
    .addOption(
      new Option('--format <format>', 'record format on the stream')
        .choices(TRADE_RECORD_FORMATS)
        .default('binary'),
    )
    .option('--trades-per-record <n>', 'most trades packed into one Kinesis record', positiveInt, 2000)
    .option(
      '--records-per-second <n>',
      'per-shard record limit',
      positiveInt,
      KINESIS_SHARD_LIMITS.recordsPerSecond,
    )
    .option(
      '--bytes-per-second <n>',
      'per-shard byte limit',
      positiveInt,
      KINESIS_SHARD_LIMITS.bytesPerSecond,
    )
    .option('--max-attempts <n>', 'attempts per record before stopping with a checkpoint', positiveInt, 8)
    .option('--stream <name>', 'stream to put to (default: the trades stream)')
    .option('--from-start', 'ignore a saved checkpoint and start from the beginning')
    .action(async (source: S3Location, flags: ProduceFlags) => {
      process.exitCode = await produce(source, flags);
    });
};

async function produce(location: S3Location, flags: ProduceFlags): Promise<number> {
  const config = loadCliConfig(process.env);
  // Bad options fail here, in a second, not after the stack is up and the first object is open.
  createTimestampReader(flags.timezone);
  if (flags.barLength !== undefined) parseBarLength(flags.barLength);
  const marketData = {
    timezone: flags.timezone,
    ...(flags.barLength !== undefined && { barLength: flags.barLength }),
    ...(flags.columns !== undefined && { columns: parseColumnsOption(flags.columns) }),
    ...(flags.maxLineBytes !== undefined && { maxLineBytes: flags.maxLineBytes }),
  };
  await mkdir(config.dataDir, { recursive: true });
  const logStream = createWriteStream(join(config.dataDir, 'stockalert.log'), { flags: 'a' });
  const logger = new JsonLinesLogger(logStream, config.logLevel);
  const session = await openAwsSession({ target: config.aws, names: config.names, joinRunning: true });
  const say = (text: string) => process.stderr.write(`${text}\n`);
  const abort = new AbortController();
  const onSignal = () => {
    say('stopping: sending what was read, then saving the checkpoint (Ctrl-C again to quit at once)…');
    process.once('SIGINT', () => process.exit(130));
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = new ReplayProgress('produce');
  const streamName = flags.stream ?? config.names.tradesStream;
  const limits = { recordsPerSecond: flags.recordsPerSecond, bytesPerSecond: flags.bytesPerSecond };
  say(`using ${session.description}`);
  say(
    `producing s3://${location.bucket}/${location.key} → ${streamName} at speed ${flags.speed}, ` +
      `${flags.format} records of up to ${flags.tradesPerRecord} trades, per shard ${limits.recordsPerSecond} records/s and ${limits.bytesPerSecond} B/s`,
  );
  try {
    const summary = await produceTrades({
      s3: session.clients.s3,
      kinesis: session.clients.kinesis,
      bucket: location.bucket,
      key: location.key,
      streamName,
      speed: flags.speed,
      logger,
      marketData,
      format: flags.format,
      maxTradesPerRecord: flags.tradesPerRecord,
      limits,
      retries: { maxAttempts: flags.maxAttempts },
      checkpoints: new S3ProducerCheckpoints(session.clients.s3, location.bucket),
      ...(flags.fromStart && { fromStart: true }),
      onProgress: (update) => progress.update(update),
      signal: abort.signal,
    });
    progress.stop();
    process.stdout.write(describeSummary(summary, location.bucket));
    return summary.aborted ? 130 : 0;
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session.close();
    await new Promise<void>((resolve) => logStream.end(resolve));
  }
}

/** The final summary, for a person. */
export function describeSummary(summary: ProduceSummary, bucket: string): string {
  const lines = [
    `${summary.aborted ? 'interrupted' : 'done'}: ${summary.trades.toLocaleString('en-US')} trades in ${summary.records.toLocaleString('en-US')} records onto ${summary.shards} shard(s), from ${summary.objects.length} object(s)`,
  ];
  if (summary.resumedFrom) {
    lines.push(
      `resumed at line ${summary.resumedFrom.line} of ${summary.resumedFrom.object ?? 'the next object'}`,
    );
  }
  if (summary.firstTs !== undefined && summary.lastTs !== undefined) {
    lines.push(
      `market time ${new Date(summary.firstTs).toISOString()} → ${new Date(summary.lastTs).toISOString()}`,
    );
  }
  lines.push(`${summary.rejected.toLocaleString('en-US')} rows rejected`);
  for (const sample of summary.rejectSamples)
    lines.push(`  ${sample.object} line ${sample.line}: ${sample.reason}`);
  for (const key of summary.rejectKeys) lines.push(`  all rejects: s3://${bucket}/${key}`);
  if (summary.aborted) lines.push('progress is saved: run the same command again to resume');
  return `${lines.join('\n')}\n`;
}

function parseSpeed(text: string): ReplaySpeed {
  if (text === 'max') return 'max';
  const speed = Number(text);
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new InvalidArgumentError('write a positive number of market seconds per second (1, 60, …) or max');
  }
  return speed;
}

function positiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError('write a positive whole number');
  return value;
}
