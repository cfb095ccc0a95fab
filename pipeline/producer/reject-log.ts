import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RejectedRow } from '../market-data/market-data-options.js';

/** Longest row copied into the rejects file; real rows are under 200 characters. */
const MAX_ROW_CHARS = 1_000;

/** Where the rejected rows of `sourceKey` go in the source's bucket. */
export function rejectsKey(sourceKey: string): string {
  return `rejects/${sourceKey}.csv`;
}

/**
 * The rejected rows of one object, as CSV `line,reason,row`, spooled to a temporary file (a bad file
 * can have millions of them) and uploaded to `rejects/<source-key>.csv` in the same bucket at the end.
 */
export class RejectLog {
  count = 0;
  readonly samples: RejectedRow[] = [];
  private file: { dir: string; path: string; stream: WriteStream } | undefined;

  async add(reject: RejectedRow, row: string | undefined): Promise<void> {
    this.count += 1;
    if (this.samples.length < 5) this.samples.push(reject);
    if (this.file === undefined) {
      const dir = await mkdtemp(join(tmpdir(), 'stockalert-rejects-'));
      const path = join(dir, 'rejects.csv');
      this.file = { dir, path, stream: createWriteStream(path) };
      this.file.stream.write('line,reason,row\n');
    }
    // A row can be up to --max-line-bytes long; a file of such rows must not write as much again to rejects.
    const shown =
      row === undefined ? '' : row.length > MAX_ROW_CHARS ? `${row.slice(0, MAX_ROW_CHARS)}…` : row;
    const line = `${reject.line},${quote(reject.reason)},${quote(shown)}\n`;
    if (!this.file.stream.write(line)) {
      await new Promise<void>((resolve) => this.file?.stream.once('drain', () => resolve()));
    }
  }

  /** Uploads the rejects (if any) and removes the spool file; returns the S3 key written. */
  async upload(s3: S3Client | undefined, bucket: string, sourceKey: string): Promise<string | undefined> {
    const file = this.file;
    if (file === undefined) return undefined;
    this.file = undefined;
    await new Promise((resolve) => file.stream.end(resolve));
    try {
      if (s3 === undefined) return undefined;
      const key = rejectsKey(sourceKey);
      const { size } = await stat(file.path);
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: createReadStream(file.path),
          ContentLength: size,
          ContentType: 'text/csv',
        }),
      );
      return key;
    } finally {
      await rm(file.dir, { recursive: true, force: true });
    }
  }
}

function quote(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
