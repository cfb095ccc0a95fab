import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { LineSource } from '../market-data/byte-lines.js';
import { MarketDataError, type MarketDataOptions } from '../market-data/market-data-options.js';
import { readMarketData } from '../market-data/read-market-data.js';
import { openS3Lines } from './s3-lines.js';

/** One file to replay: a name for output, checkpoints and rejects, and a way to (re)open it. */
export interface SourceObject {
  readonly name: string;
  readonly size: number | undefined;
  open(): Promise<LineSource>;
}

/** Keys the producer itself writes into the bucket; never replayed. */
export const PRODUCER_OUTPUT_PREFIXES = ['rejects/', 'checkpoints/'] as const;

/**
 * The objects `s3://bucket/keyOrPrefix` names: the object with exactly that key, or else every object
 * under it as a prefix, in time order (by each object's first trade; objects are taken to cover
 * consecutive times, as daily or hourly files do). Throws MarketDataError when nothing matches.
 */
export async function listSourceObjects(
  s3: S3Client,
  bucket: string,
  keyOrPrefix: string,
  options: MarketDataOptions,
): Promise<SourceObject[]> {
  const found: { key: string; size: number | undefined }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: keyOrPrefix,
        ...(token && { ContinuationToken: token }),
      }),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key as string;
      if (PRODUCER_OUTPUT_PREFIXES.some((prefix) => key.startsWith(prefix)) || key.endsWith('/')) continue;
      found.push({ key, size: object.Size });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const exact = found.find((object) => object.key === keyOrPrefix);
  const chosen = exact ? [exact] : found;
  if (chosen.length === 0) {
    throw new MarketDataError(
      `s3://${bucket}/${keyOrPrefix}: no such object or prefix; upload a file first (npm run stockalert -- upload <file>)`,
    );
  }
  const objects = chosen.map(({ key, size }) => ({
    name: key,
    size,
    open: () =>
      openS3Lines(
        s3,
        bucket,
        key,
        options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes },
      ),
  }));
  return objects.length === 1 ? objects : orderByFirstTrade(objects, options);
}

async function orderByFirstTrade(
  objects: SourceObject[],
  options: MarketDataOptions,
): Promise<SourceObject[]> {
  const firsts = await Promise.all(objects.map((object) => firstTradeTs(object, options)));
  return objects
    .map((object, i) => ({ object, first: firsts[i] ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.first - b.first || a.object.name.localeCompare(b.object.name))
    .map(({ object }) => object);
}

async function firstTradeTs(object: SourceObject, options: MarketDataOptions): Promise<number | undefined> {
  const source = await object.open();
  try {
    for await (const row of readMarketData(source.batches, options)) {
      if ('trade' in row) return row.trade.ts;
    }
  } catch {
    // An unreadable object sorts last; replaying it reports the error properly.
  }
  return undefined;
}
