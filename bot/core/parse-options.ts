import type { ArgumentKind, CommandError } from './command-error.js';
import { classifyWatchArgument, type ParsedCommand, parseCommand } from './parse-command.js';

/** `/watch` as a platform with typed, named options delivers it (Discord); absent options are undefined. */
export interface WatchOptions {
  readonly symbol: string | undefined;
  readonly threshold?: number | string | undefined;
  readonly window?: string | undefined;
  readonly direction?: string | undefined;
  readonly hours?: string | undefined;
}

export interface UnwatchOptions {
  readonly symbol: string | undefined;
  readonly window?: string | undefined;
}

const SLOTS: readonly ArgumentKind[] = ['threshold', 'window', 'direction', 'hours'];

/**
 * Parses `/watch` from named options. Each value must be of its option's kind (a direction typed into
 * the window option is an error, not silently accepted), then the same rules as typed text apply, so
 * every platform rejects the same inputs with the same codes.
 */
export function parseWatchOptions(options: WatchOptions): ParsedCommand {
  const tokens: string[] = [];
  for (const slot of SLOTS) {
    const value = options[slot];
    if (value === undefined) continue;
    const token = typeof value === 'number' ? String(value) : value.trim();
    const argument = classifyWatchArgument(token);
    if ('error' in argument) return { ok: false, error: argument.error };
    if (argument.kind !== slot) return { ok: false, error: wrongKind(slot, token) };
    tokens.push(token);
  }
  return parseCommand('watch', options.symbol === undefined ? [] : [options.symbol.trim(), ...tokens]);
}

/** Parses `/unwatch` from named options: a symbol (or `all`) and an optional window. */
export function parseUnwatchOptions(options: UnwatchOptions): ParsedCommand {
  const args = options.symbol === undefined ? [] : [options.symbol.trim()];
  if (options.window !== undefined) args.push(options.window.trim());
  return parseCommand('unwatch', args);
}

function wrongKind(slot: ArgumentKind, token: string): CommandError {
  switch (slot) {
    case 'threshold':
      return { code: 'bad-threshold', token };
    case 'window':
      return { code: 'bad-window', command: 'watch', token };
    case 'direction':
    case 'hours':
      return { code: 'unknown-argument', command: 'watch', token };
  }
}
