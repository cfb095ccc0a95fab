import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { MarketDataError } from '../../pipeline/market-data/market-data-options.js';
import { openAwsSession } from '../aws-session.js';
import { loadCliConfig } from '../cli-config.js';
import type { RegisterCommand } from './index.js';
import { parseS3Uri, type S3Location } from './s3-uri.js';

/** A single PutObject takes at most 5 GiB. */
const MAX_SINGLE_PUT = 5 * 1024 ** 3;

/** `stockalert upload <local-file> [s3-uri]`: puts a market-data file into S3 for `produce`. */
export const registerUpload: RegisterCommand = (program: Command) => {
  program
    .command('upload')
    .description('Upload a local market-data file to S3, streaming, so `produce` can replay it.')
    .argument('<local-file>', 'CSV or NDJSON, plain or gzip')
    .argument('[s3-uri]', 'where to put it (default: s3://<bucket>/uploads/<file name>)', parseS3Uri)
    .action(async (path: string, target: S3Location | undefined) => {
      await upload(path, target);
    });
};

async function upload(path: string, target: S3Location | undefined): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    throw new MarketDataError(`${path}: no such file; give the path of a CSV or NDJSON file (plain or .gz)`);
  }
  if (info.size > MAX_SINGLE_PUT) {
    throw new MarketDataError(
      `${path} is over 5 GiB: split it into several files under one prefix and upload each`,
    );
  }
  const config = loadCliConfig(process.env);
  const bucket = target?.bucket ?? config.names.bucket;
  const key = target?.key
    ? target.key.endsWith('/')
      ? `${target.key}${basename(path)}`
      : target.key
    : `uploads/${basename(path)}`;
  const session = await openAwsSession({ target: config.aws, names: config.names, joinRunning: true });
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'upload [{bar}] {percentage}% | {value}/{total} bytes | ETA {eta_formatted}',
    noTTYOutput: true,
    notTTYSchedule: 5000,
  });
  try {
    process.stderr.write(`using ${session.description}\n`);
    bar.start(info.size, 0);
    let sent = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sent += chunk.length;
        bar.update(sent);
        done(null, chunk);
      },
    });
    await session.clients.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: createReadStream(path).pipe(counter),
        ContentLength: info.size,
      }),
    );
    bar.stop();
    process.stdout.write(
      `uploaded ${path} to s3://${bucket}/${key}\nnext: npm run stockalert -- produce s3://${bucket}/${key}\n`,
    );
  } finally {
    bar.stop();
    await session.close();
  }
}
