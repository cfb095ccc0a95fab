import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip, gzipSync } from 'node:zlib';

/**
 * A plain CSV `times` the size of the gzipped tick file at `source`: the week repeated, each copy
 * shifted by whole weeks so the file stays in time order. Written under /tmp, never into the repo;
 * reused when already there with the expected size.
 */
export async function generateLargerFile(source: string, target: string, times: number): Promise<number> {
  const expected = await plainSize(source);
  const wanted = (expected.bytes - expected.headerBytes) * times + expected.headerBytes;
  if (existsSync(target) && (await stat(target)).size === wanted) return wanted;
  const out = createWriteStream(target, { highWaterMark: 1 << 20 });
  let header = true;
  for (let copy = 0; copy < times; copy += 1) {
    const shift = new Map<string, string>();
    const lines = createInterface({
      input: createReadStream(source).pipe(createGunzip()),
      crlfDelay: Infinity,
    });
    let buffer = '';
    for await (const line of lines) {
      if (line.startsWith('symbol,')) {
        if (header) buffer += `${line}\n`;
        header = false;
        continue;
      }
      const comma = line.indexOf(',');
      const day = line.slice(comma + 1, comma + 11);
      let shifted = shift.get(day);
      if (shifted === undefined) {
        shifted = new Date(Date.parse(`${day}T00:00:00Z`) + copy * 7 * 86_400_000).toISOString().slice(0, 10);
        shift.set(day, shifted);
      }
      buffer += `${line.slice(0, comma + 1)}${shifted}${line.slice(comma + 11)}\n`;
      if (buffer.length > 1 << 20) {
        if (!out.write(buffer)) await once(out, 'drain');
        buffer = '';
      }
    }
    if (!out.write(buffer)) await once(out, 'drain');
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return wanted;
}

async function plainSize(source: string): Promise<{ bytes: number; headerBytes: number }> {
  let bytes = 0;
  let headerBytes = 0;
  for await (const chunk of createReadStream(source).pipe(createGunzip()) as AsyncIterable<Buffer>) {
    if (bytes === 0) headerBytes = chunk.indexOf(0x0a) + 1;
    bytes += chunk.length;
  }
  return { bytes, headerBytes };
}

/** The first `count` data lines of a gzipped CSV (with its header), gzipped: a slice for the slower candidates. */
export async function headSlice(source: string, count: number): Promise<Buffer> {
  const lines = createInterface({
    input: createReadStream(source).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  const head: string[] = [];
  for await (const line of lines) {
    head.push(line);
    if (head.length > count) break;
  }
  lines.close();
  return gzipSync(`${head.join('\n')}\n`);
}
