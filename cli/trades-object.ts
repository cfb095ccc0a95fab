import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { generateDemoTradeLines } from '../pipeline/demo/demo-trades.js';

/** What `--data` names: nothing (the demo), an S3 object, or a file on disk. */
export type TradesSource =
  | { readonly kind: 'demo' }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string }
  | { readonly kind: 'file'; readonly path: string; readonly size: number };

export interface TradesObject {
  readonly bucket: string;
  readonly key: string;
  /** What to call it in output: the local path, the S3 URI, or "demo data". */
  readonly label: string;
}

/** The trades file cannot be used; the message says what to do instead. */
export class TradesFileError extends Error {
  override readonly name = 'TradesFileError';
}

/** Checks `--data` before anything starts, so a typo fails in a second, not after the stack is up. */
export async function resolveTradesSource(data: string | undefined): Promise<TradesSource> {
  if (data === undefined) return { kind: 'demo' };
  const s3Uri = /^s3:\/\/([^/]+)\/(.+)$/.exec(data);
  if (s3Uri) return { kind: 's3', bucket: s3Uri[1] as string, key: s3Uri[2] as string };
  const size = await stat(data).then(
    (info) => (info.isFile() ? info.size : undefined),
    () => undefined,
  );
  if (size === undefined) {
    throw new TradesFileError(
      `--data ${data}: no such file. Give a trades CSV (plain or .gz) on disk, or an s3://bucket/key object`,
    );
  }
  return { kind: 'file', path: data, size };
}

/**
 * Puts the trades to replay into S3 and says where: an S3 object is used as it is, a local file is
 * uploaded under `uploads/`, and the demo trades are generated (same seed, same file) and uploaded.
 */
export async function uploadTradesSource(
  s3: S3Client,
  bucket: string,
  source: TradesSource,
): Promise<TradesObject> {
  switch (source.kind) {
    case 's3':
      return { bucket: source.bucket, key: source.key, label: `s3://${source.bucket}/${source.key}` };
    case 'file': {
      const key = `uploads/${basename(source.path)}`;
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: createReadStream(source.path),
          ContentLength: source.size,
        }),
      );
      return { bucket, key, label: source.path };
    }
    case 'demo': {
      const key = 'demo/demo-trades.csv.gz';
      const body = gzipSync(`${generateDemoTradeLines().join('\n')}\n`);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      return { bucket, key, label: 'demo data (4 symbols, one synthetic hour)' };
    }
  }
}
