import { createGunzip } from 'node:zlib';
import { OverlongLine, type SourceLine } from './source-line.js';

/** The input ended in the middle of its data (a gzip file cut short); every complete line before it was given. */
export class TruncatedInputError extends Error {
  override readonly name = 'TruncatedInputError';
}

/**
 * Longest line kept, in bytes (without its line break). A row of market data is under 200 bytes; 64 KiB
 * leaves room for wide CSVs while a line of a hostile or broken file costs at most this much memory.
 */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/** Lines of a byte source, handed out in batches (one per decoded chunk) because per-line awaits cost more than parsing. */
export interface LineSource {
  readonly batches: AsyncIterable<readonly SourceLine[]>;
  /** Size of the stored file (compressed, if it is), when known. */
  readonly totalBytes: number | undefined;
  /** Stored bytes read so far, for progress. */
  bytesRead(): number;
}

export interface LineOptions {
  /** Longest line kept, in bytes; longer ones become {@link OverlongLine}. Default {@link DEFAULT_MAX_LINE_BYTES}. */
  readonly maxLineBytes?: number;
}

/**
 * Splits a byte stream into lines (`\n` or `\r\n`), gunzipping when it starts with the gzip magic
 * bytes. Memory stays bounded whatever the input (a line that never ends, a gzip bomb): at most
 * `maxLineBytes` of an unfinished line is held, and a longer line is skipped to its line break and
 * given as one {@link OverlongLine}. A gzip stream that ends early throws TruncatedInputError after the
 * last complete line.
 */
export function linesFromBytes(
  bytes: AsyncIterable<Uint8Array>,
  totalBytes?: number,
  options: LineOptions = {},
): LineSource {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let read = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of bytes) {
      read += chunk.length;
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  }
  async function* batches(): AsyncGenerator<readonly SourceLine[]> {
    try {
      yield* splitLines(counted(), maxLineBytes);
    } finally {
      // A reader that stops early (a bad header, Ctrl-C) must not leave the file or HTTP body open.
      (bytes as { destroy?: () => void }).destroy?.();
    }
  }
  return { batches: batches(), totalBytes, bytesRead: () => read };
}

const NEWLINE = 0x0a;
const PREVIEW_BYTES = 200;

async function* splitLines(
  source: AsyncGenerator<Buffer>,
  maxLineBytes: number,
): AsyncGenerator<SourceLine[]> {
  // The gzip magic is two bytes, and a stream may deliver a first chunk of one.
  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await source.next();
    if (next.done) break;
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  if (head.length === 0) return;
  const isGzip = head[0] === 0x1f && head[1] === 0x8b;
  const chunks = isGzip ? gunzip(head, source) : prepend(head, source);
  // The unfinished line so far, as copied bytes (never more than maxLineBytes), or its preview once it is
  // known to be too long and is being skipped. Bytes, not strings: `rest + chunk` per chunk was
  // quadratic (a 64 MB line took 27.8 s and 643 MB).
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping: string | undefined;
  const finishLine = (tail: Buffer, out: SourceLine[]) => {
    if (skipping !== undefined) {
      out.push(new OverlongLine(maxLineBytes, skipping));
      skipping = undefined;
    } else if (pendingBytes + tail.length > maxLineBytes) {
      out.push(new OverlongLine(maxLineBytes, preview(pending.length > 0 ? Buffer.concat(pending) : tail)));
    } else {
      out.push(withoutCr((pending.length > 0 ? Buffer.concat([...pending, tail]) : tail).toString('utf8')));
    }
    pending.length = 0;
    pendingBytes = 0;
  };
  const keep = (part: Buffer) => {
    if (skipping !== undefined || part.length === 0) return;
    if (pendingBytes + part.length > maxLineBytes) {
      skipping = preview(pending.length > 0 ? Buffer.concat(pending) : part);
      pending.length = 0;
      pendingBytes = 0;
      return;
    }
    // A copy: a view would keep the whole chunk it came from alive.
    pending.push(Buffer.from(part));
    pendingBytes += part.length;
  };
  for await (const chunk of chunks) {
    const firstBreak = chunk.indexOf(NEWLINE);
    if (firstBreak === -1) {
      keep(chunk);
      continue;
    }
    const out: SourceLine[] = [];
    finishLine(chunk.subarray(0, firstBreak), out);
    const lastBreak = chunk.lastIndexOf(NEWLINE);
    if (lastBreak > firstBreak) {
      // The whole lines between the first and the last break: one decode and one split, the fast path.
      for (const line of chunk.toString('utf8', firstBreak + 1, lastBreak).split('\n')) {
        out.push(
          fitsLimit(line, maxLineBytes)
            ? withoutCr(line)
            : new OverlongLine(maxLineBytes, line.slice(0, PREVIEW_BYTES)),
        );
      }
    }
    keep(chunk.subarray(lastBreak + 1));
    yield out;
  }
  if (skipping !== undefined || pendingBytes > 0) {
    const out: SourceLine[] = [];
    finishLine(Buffer.alloc(0), out);
    yield out;
  }
}

/** Whether a decoded line is at most `max` UTF-8 bytes (its length in UTF-16 units bounds that from below). */
function fitsLimit(line: string, max: number): boolean {
  if (line.length > max) return false;
  return line.length * 3 <= max || Buffer.byteLength(line) <= max;
}

function preview(bytes: Buffer): string {
  return bytes.toString('utf8', 0, Math.min(bytes.length, PREVIEW_BYTES));
}

async function* prepend(first: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  yield* rest;
}

async function* gunzip(first: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  // A deeper readable buffer (4 MiB) let inflation run ahead but cost 60–80 MB of peak RSS end to end.
  const inflater = createGunzip({ chunkSize: 256 * 1024 });
  const feed = (async () => {
    for await (const chunk of prepend(first, rest)) {
      if (!inflater.write(chunk)) await new Promise((resolve) => inflater.once('drain', resolve));
    }
    inflater.end();
  })();
  feed.catch((error: unknown) => inflater.destroy(error as Error));
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
      throw new TruncatedInputError(
        code === 'Z_BUF_ERROR'
          ? 'the gzip data ends in the middle of the file (truncated upload?)'
          : 'the gzip data is corrupt',
        { cause: error },
      );
    }
    throw error;
  }
}

function withoutCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}
