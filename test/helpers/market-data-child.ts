import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface ChildReadResult {
  readonly trades: number;
  readonly rejects: readonly { readonly line: number; readonly reason: string }[];
  readonly error?: string;
  /** The child's peak resident set size, in MB. */
  readonly peakRssMb: number;
}

/** Reads `path` with the real market-data reader in a fresh Node process; see read-market-data-child.ts. */
export async function readInChildProcess(path: string, maxLineBytes?: number): Promise<ChildReadResult> {
  const script = new URL('./read-market-data-child.ts', import.meta.url).pathname;
  const args = [
    '--import',
    'tsx',
    script,
    path,
    ...(maxLineBytes === undefined ? [] : [String(maxLineBytes)]),
  ];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout) as ChildReadResult;
}
