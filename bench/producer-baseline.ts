import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/**
 * The physical limit of the input: the fastest plain read → gunzip → split → parse of the tick file
 * this project could write (1 MiB chunks, latin1 strings, indexOf splitting, the file's one ISO shape
 * parsed by hand with a per-day cache). No validation, no packing, no output.
 */
export async function baselineParse(
  path: string,
): Promise<{ trades: number; seconds: number; checksum: number }> {
  const started = performance.now();
  const gunzip = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(
    createGunzip({ chunkSize: 1 << 20 }),
  );
  const dayCache = new Map<string, number>();
  let rest = '';
  let trades = 0;
  let checksum = 0;
  let header = true;
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    const text = rest + chunk.toString('latin1');
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      if (header) header = false;
      else {
        const c1 = text.indexOf(',', start);
        const c2 = text.indexOf(',', c1 + 1);
        const c3 = text.indexOf(',', c2 + 1);
        const c4 = text.indexOf(',', c3 + 1);
        const symbol = text.slice(start, c1);
        const day = text.slice(c1 + 1, c1 + 11);
        let dayMs = dayCache.get(day);
        if (dayMs === undefined) {
          dayMs = Date.parse(`${day}T00:00:00Z`);
          dayCache.set(day, dayMs);
        }
        const t = c1 + 12;
        const local =
          dayMs +
          two(text, t) * 3_600_000 +
          two(text, t + 3) * 60_000 +
          two(text, t + 6) * 1000 +
          (text.charCodeAt(t + 9) - 48) * 100 +
          (text.charCodeAt(t + 10) - 48) * 10 +
          (text.charCodeAt(t + 11) - 48);
        const sign = text.charCodeAt(t + 12) === 45 ? 1 : -1;
        const ts = local + sign * (two(text, t + 13) * 60 + two(text, t + 16)) * 60_000;
        const price = Number(text.slice(c2 + 1, c3));
        const size = Number(text.slice(c3 + 1, c4 === -1 || c4 > end ? end : c4));
        trades += 1;
        checksum += (ts % 1000) + price + size + symbol.length;
      }
      start = end + 1;
    }
    rest = text.slice(start);
  }
  return { trades, seconds: (performance.now() - started) / 1000, checksum };
}

function two(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;
}
