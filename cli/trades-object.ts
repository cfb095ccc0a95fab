import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { generateDemoTradeLines } from '../pipeline/demo/demo-trades.js';

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

/**
 * Puts the trades to replay into S3 and says where: `s3://bucket/key` is used as it is, a local
 * file is uploaded under `uploads/`, and no `--data` uploads the generated demo trades.
 */
export async function prepareTradesObject(
  s3: S3Client,
  bucket: string,
  data: string | undefined,
): Promise<TradesObject> {
  if (data === undefined) {
    const key = 'demo/demo-trades.csv.gz';
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: gzipSync(`${generateDemoTradeLines().join('\n')}\n`),
      }),
    );
    return { bucket, key, label: 'demo data (4 symbols, one synthetic hour)' };
  }
  const s3Uri = /^s3:\/\/([^/]+)\/(.+)$/.exec(data);
  if (s3Uri) return { bucket: s3Uri[1] as string, key: s3Uri[2] as string, label: data };
  const size = await stat(data).then(
    (info) => (info.isFile() ? info.size : undefined),
    () => undefined,
  );
  if (size === undefined) {
    throw new TradesFileError(
      `--data ${data}: no such file. Give a trades CSV (plain or .gz) on disk, or an s3://bucket/key object`,
    );
  }
  const key = `uploads/${basename(data)}`;
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(data), ContentLength: size }),
  );
  return { bucket, key, label: data };
}
