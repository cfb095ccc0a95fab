import { createGzip, type Gzip } from 'node:zlib';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { Trade } from '../../shared/domain/trade.js';

/** S3 needs parts of at least 5 MiB (except the last). */
const PART_BYTES = 5 * 1024 * 1024;
const HOUR_MS = 3_600_000;
const LATE_PRINTS_MS = 5 * 60_000;
const PENDING_CHARS = 64 * 1024;

/** `archive/trades/YYYY/MM/DD/HH.csv.gz` of the UTC hour holding `ts`. */
export function archiveKey(ts: number, prefix = 'archive/trades'): string {
  const iso = new Date(ts).toISOString();
  return `${prefix}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}.csv.gz`;
}

/** The header `produce` reads (the layout of the shared trades files). */
export const ARCHIVE_HEADER = 'symbol,timestamp,price,size\n';

interface HourObject {
  readonly hour: number;
  readonly key: string;
  readonly gzip: Gzip;
  readonly chunks: Buffer[];
  bytes: number;
  /** CSV lines not yet handed to gzip. */
  pending: string;
  uploadId: Promise<string | undefined>;
  readonly parts: Promise<{ ETag: string | undefined; PartNumber: number }>[];
}

/**
 * Writes every trade that went to the stream into hourly gzip CSV objects, so a streamed day can be
 * replayed (`produce`), backtested or digested like any trades file. Each hour is one multipart upload
 * fed as the gzip stream fills 5 MiB parts, so memory holds at most one part per open hour; the object
 * appears when the hour ends (a trade of the next hour arrives) or on close. Trades are written in the
 * order given; each symbol's trades are in time order, which is what `produce` needs.
 */
export class TradeArchive {
  private readonly open = new Map<number, HourObject>();
  private readonly finishing: Promise<unknown>[] = [];
  private readonly failures: unknown[] = [];
  private isoSecond = Number.NaN;
  private isoPrefix = '';
  written: string[] = [];

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix = 'archive/trades',
  ) {}

  write(trade: Trade): void {
    const hour = Math.floor(trade.ts / HOUR_MS);
    let object = this.open.get(hour);
    if (object === undefined) object = this.openHour(hour);
    // Five minutes into a new hour, a backfill or a late print of the previous one is no longer expected.
    if (this.open.size > 1 && trade.ts - hour * HOUR_MS > LATE_PRINTS_MS) {
      for (const [openHour, earlier] of this.open) {
        if (openHour < hour)
          this.finishing.push(this.finish(earlier).catch((error: unknown) => this.failures.push(error)));
      }
    }
    object.pending += `${trade.symbol},${this.isoTime(trade.ts)},${trade.price},${trade.size}\n`;
    // One gzip write per trade costs more than the compression itself: hand it lines by the 64 KiB.
    if (object.pending.length >= PENDING_CHARS) {
      object.gzip.write(object.pending);
      object.pending = '';
    }
  }

  /** `toISOString()` of `ts`, formatting the date and time once per second (it is a hot path at 50k trades/s). */
  private isoTime(ts: number): string {
    const second = Math.floor(ts / 1000);
    if (second !== this.isoSecond) {
      this.isoSecond = second;
      this.isoPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    }
    return `${this.isoPrefix}${String(ts - second * 1000).padStart(3, '0')}Z`;
  }

  /** Completes every open hour's object (on shutdown); returns the keys written. */
  async close(): Promise<string[]> {
    await Promise.all([
      ...this.finishing.splice(0),
      ...[...this.open.values()].map((object) => this.finish(object)),
    ]);
    if (this.failures.length > 0) throw this.failures[0];
    return this.written;
  }

  private openHour(hour: number): HourObject {
    const gzip = createGzip();
    const object: HourObject = {
      hour,
      key: archiveKey(hour * HOUR_MS, this.prefix),
      gzip,
      chunks: [],
      bytes: 0,
      pending: '',
      uploadId: Promise.resolve(undefined),
      parts: [],
    };
    gzip.on('data', (chunk: Buffer) => {
      object.chunks.push(chunk);
      object.bytes += chunk.length;
      if (object.bytes >= PART_BYTES) this.uploadPart(object);
    });
    gzip.write(ARCHIVE_HEADER);
    this.open.set(hour, object);
    return object;
  }

  private uploadPart(object: HourObject): void {
    const body = Buffer.concat(object.chunks.splice(0));
    object.bytes = 0;
    const partNumber = object.parts.length + 1;
    object.uploadId = object.uploadId.then(
      async (id) =>
        id ??
        (
          await this.s3.send(
            new CreateMultipartUploadCommand({
              Bucket: this.bucket,
              Key: object.key,
              ContentType: 'application/gzip',
            }),
          )
        ).UploadId,
    );
    object.parts.push(
      object.uploadId.then(async (uploadId) => {
        const { ETag } = await this.s3.send(
          new UploadPartCommand({
            Bucket: this.bucket,
            Key: object.key,
            UploadId: uploadId,
            PartNumber: partNumber,
            Body: body,
          }),
        );
        return { ETag, PartNumber: partNumber };
      }),
    );
  }

  private async finish(object: HourObject): Promise<void> {
    if (this.open.get(object.hour) !== object) return;
    this.open.delete(object.hour);
    await new Promise<void>((resolve) => {
      object.gzip.once('end', resolve);
      object.gzip.end(object.pending);
    });
    if (object.chunks.length > 0 || object.parts.length === 0) this.uploadPart(object);
    const uploadId = await object.uploadId;
    try {
      const parts = await Promise.all(object.parts);
      await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: object.key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      this.written.push(object.key);
    } catch (error) {
      await this.s3
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: object.key, UploadId: uploadId }))
        .catch(() => undefined);
      throw new Error(`archive ${object.key} could not be written`, { cause: error });
    }
  }
}
