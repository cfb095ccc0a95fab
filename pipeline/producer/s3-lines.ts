import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface S3Lines {
  readonly lines: AsyncIterable<string>;
  /** Size of the stored object (compressed, if it is). */
  readonly totalBytes: number | undefined;
  /** Bytes of the stored object read so far. */
  bytesRead(): number;
}

/**
 * Streams the lines of an S3 object, gunzipping when the object starts with the gzip magic bytes.
 * Nothing is held in memory beyond the stream buffers, whatever the object's size.
 */
export async function openS3Lines(s3: S3Client, bucket: string, key: string): Promise<S3Lines> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = object.Body;
  if (!(body instanceof Readable))
    throw new Error(`s3://${bucket}/${key}: the object body is not a Node stream`);
  let bytes = 0;
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await chunks.next();
  const isGzip = !first.done && first.value[0] === 0x1f && first.value[1] === 0x8b;
  const counted = Readable.from(
    (async function* () {
      if (first.done) return;
      bytes += first.value.length;
      yield first.value;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        bytes += next.value.length;
        yield next.value;
      }
    })(),
  );
  const text = isGzip ? counted.pipe(createGunzip()) : counted;
  if (isGzip) counted.on('error', (error) => text.destroy(error));
  return {
    lines: createInterface({ input: text, crlfDelay: Number.POSITIVE_INFINITY }),
    totalBytes: object.ContentLength,
    bytesRead: () => bytes,
  };
}
