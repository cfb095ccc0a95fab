import { readSymbol } from '../../shared/domain/symbol.js';
import type { CommandError } from './command-error.js';

/** The shared symbol rule, with the raw token checked against ASCII before it is upper-cased. */
export function parseSymbol(command: 'watch' | 'unwatch' | 'digest', token: string): string | CommandError {
  const reading = readSymbol(token);
  if (reading.ok) return reading.symbol;
  return reading.problem === 'not-ascii'
    ? { code: 'non-ascii-symbol', command, token, character: reading.character }
    : { code: 'bad-symbol', command, token };
}
