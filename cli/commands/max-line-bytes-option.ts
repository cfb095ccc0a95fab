import { InvalidArgumentError } from 'commander';
import { DEFAULT_MAX_LINE_BYTES } from '../../pipeline/market-data/byte-lines.js';

/** `--max-line-bytes`, shared by `produce` and `backtest`: longer lines are rejected as bad rows. */
export const MAX_LINE_BYTES_FLAG = '--max-line-bytes <bytes>';
export const MAX_LINE_BYTES_HELP = `longest row kept; longer lines are rejected as bad rows (default ${DEFAULT_MAX_LINE_BYTES})`;

/** Largest accepted limit: a line is held in memory whole, so the bound must stay a bound. */
const MAX_LIMIT = 16 * 1024 * 1024;

export function parseMaxLineBytes(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 64 || value > MAX_LIMIT) {
    throw new InvalidArgumentError(`write a whole number of bytes from 64 to ${MAX_LIMIT}, e.g. 131072`);
  }
  return value;
}
