import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type LineOptions, type LineSource, linesFromBytes } from '../market-data/byte-lines.js';

/**
 * Streams the lines of an S3 object, gunzipping when it starts with the gzip magic bytes. Nothing is
 * held in memory beyond the stream buffers, whatever the object's size.
 */
export async function openS3Lines(
  s3: S3Client,
  bucket: string,
  key: string,
  options: LineOptions = {},
): Promise<LineSource> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = object.Body;
  if (!(body instanceof Readable))
    throw new Error(`s3://${bucket}/${key}: the object body is not a Node stream`);
  return linesFromBytes(body, object.ContentLength, options);
}
