import {
  DEFAULT_DIRECTION,
  DEFAULT_HOURS,
  DEFAULT_THRESHOLD_PCT,
  DEFAULT_WINDOW,
  type Direction,
  MAX_THRESHOLD_PCT,
  type MarketHours,
  MIN_THRESHOLD_PCT,
} from '../../shared/domain/watch.js';
import { isWindowName, type WindowName } from '../../shared/domain/window.js';
import { COMMAND_NAMES, type Command, type CommandName, type UnwatchTarget } from './command.js';
import type { CommandError } from './command-error.js';
import { parseDigest } from './parse-digest.js';
import { parseSymbol } from './parse-symbol.js';

export type ParsedCommand =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly error: CommandError };

/** A console line split into a command name (without the slash) and its argument tokens. */
export interface CommandLine {
  readonly name: string;
  readonly args: readonly string[];
}

const DIRECTIONS: readonly Direction[] = ['up', 'down', 'both'];
const HOURS: readonly MarketHours[] = ['all', 'regular'];
/** A plain decimal: `3`, `2.5`, `.5`, `-1`. No exponents, so `1e2` is not a threshold. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
/** Digits, dots and commas only: someone meant a number (`3,5`), so it is reported as a bad threshold. */
const NUMBER_LIKE = /^[+-]?[\d.,]+$/;
/** Digits then letters (`15x`, `2h`, `30min`): someone meant a window. */
const WINDOW_LIKE = /^\d+[a-z]+$/i;

/** `/watchlist` or `/watchlist 2`: an optional page number. */
function parseWatchlist(args: readonly string[]): ParsedCommand {
  const [first, second] = args;
  if (first === undefined) return ok({ kind: 'watchlist' });
  if (second !== undefined || !/^[1-9]\d{0,3}$/.test(first))
    return fail(unknownArgument('watchlist', second ?? first));
  return ok({ kind: 'watchlist', page: Number(first) });
}

/**
 * Splits a typed line such as `/watch BAC 3% 15m` into name and arguments.
 * Returns undefined for a line that is not a command (blank, or not starting with `/`).
 */
export function splitCommandLine(line: string): CommandLine | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('/')) return undefined;
  const [head = '', ...args] = trimmed.slice(1).split(/\s+/);
  return { name: head, args };
}

/**
 * Parses a command from its name (with or without a leading `/`, any case) and its argument tokens,
 * as every platform adapter has them after its own splitting. The first problem found, left to right,
 * is returned as a {@link CommandError}.
 */
export function parseCommand(name: string, args: readonly string[]): ParsedCommand {
  const commandName = toCommandName(name);
  switch (commandName) {
    case 'watch':
      return parseWatch(args);
    case 'unwatch':
      return parseUnwatch(args);
    case 'watchlist':
      return parseWatchlist(args);
    case 'digest':
      return parseDigest(args);
    case 'help':
      // `/help watch` is a natural thing to type; extra words are harmless here, so they are ignored.
      return ok({ kind: 'help' });
    case undefined:
      return fail({ code: 'unknown-command', name });
  }
}

function toCommandName(name: string): CommandName | undefined {
  const bare = name.trim().replace(/^\//, '').toLowerCase();
  return COMMAND_NAMES.find((candidate) => candidate === bare);
}

function parseWatch(args: readonly string[]): ParsedCommand {
  const [symbolToken, ...rest] = args;
  if (symbolToken === undefined) return fail({ code: 'missing-symbol', command: 'watch' });
  const symbol = parseSymbol('watch', symbolToken);
  if (typeof symbol !== 'string') return fail(symbol);

  const given: { threshold?: number; window?: WindowName; direction?: Direction; hours?: MarketHours } = {};
  for (const token of rest) {
    const argument = classifyWatchArgument(token);
    if ('error' in argument) return fail(argument.error);
    if (given[argument.kind] !== undefined) {
      return fail({ code: 'duplicate-argument', command: 'watch', token, kind: argument.kind });
    }
    switch (argument.kind) {
      case 'threshold':
        given.threshold = argument.value;
        break;
      case 'window':
        given.window = argument.value;
        break;
      case 'direction':
        given.direction = argument.value;
        break;
      case 'hours':
        given.hours = argument.value;
        break;
    }
  }
  return ok({
    kind: 'watch',
    symbol,
    thresholdPct: given.threshold ?? DEFAULT_THRESHOLD_PCT,
    window: given.window ?? DEFAULT_WINDOW,
    direction: given.direction ?? DEFAULT_DIRECTION,
    hours: given.hours ?? DEFAULT_HOURS,
  });
}

/** One optional `/watch` argument, recognised by its shape, or why it is not one. */
export type ClassifiedArgument =
  | { readonly kind: 'threshold'; readonly value: number }
  | { readonly kind: 'window'; readonly value: WindowName }
  | { readonly kind: 'direction'; readonly value: Direction }
  | { readonly kind: 'hours'; readonly value: MarketHours }
  | { readonly error: CommandError };

/** Decides what an optional `/watch` argument is from its shape alone, so the order does not matter. */
export function classifyWatchArgument(token: string): ClassifiedArgument {
  const word = token.toLowerCase();
  if (isWindowName(word)) return { kind: 'window', value: word };
  const direction = DIRECTIONS.find((candidate) => candidate === word);
  if (direction !== undefined) return { kind: 'direction', value: direction };
  const hours = HOURS.find((candidate) => candidate === word);
  if (hours !== undefined) return { kind: 'hours', value: hours };
  if (token.endsWith('%') || NUMBER_LIKE.test(token)) return parseThreshold(token);
  if (WINDOW_LIKE.test(token)) return { error: { code: 'bad-window', command: 'watch', token } };
  return { error: unknownArgument('watch', token) };
}

function parseThreshold(token: string): ClassifiedArgument {
  const digits = token.endsWith('%') ? token.slice(0, -1).trim() : token;
  const value = DECIMAL.test(digits) ? Number(digits) : Number.NaN;
  // A run of hundreds of digits passes DECIMAL but is Infinity as a number.
  if (!Number.isFinite(value)) return { error: { code: 'bad-threshold', token } };
  if (value < MIN_THRESHOLD_PCT || value > MAX_THRESHOLD_PCT) {
    return {
      error: {
        code: 'threshold-out-of-range',
        token,
        value,
        min: MIN_THRESHOLD_PCT,
        max: MAX_THRESHOLD_PCT,
      },
    };
  }
  return { kind: 'threshold', value };
}

/**
 * `/unwatch all` (lower case, on its own) clears the list. `ALL` is also a real ticker (Allstate), so any
 * other spelling, or `all` followed by a window, is read as that symbol: a typo then removes at most one
 * symbol's watches, never the whole list.
 */
function parseUnwatch(args: readonly string[]): ParsedCommand {
  const [symbolToken, windowToken, extra] = args;
  if (symbolToken === undefined) return fail({ code: 'missing-symbol', command: 'unwatch' });
  if (symbolToken === 'all' && windowToken === undefined) return ok(unwatch({ kind: 'all' }));
  const symbol = parseSymbol('unwatch', symbolToken);
  if (typeof symbol !== 'string') return fail(symbol);
  if (windowToken === undefined) return ok(unwatch({ kind: 'symbol', symbol }));
  const window = windowToken.toLowerCase();
  if (!isWindowName(window)) return fail({ code: 'bad-window', command: 'unwatch', token: windowToken });
  if (extra !== undefined) return fail(unknownArgument('unwatch', extra));
  return ok(unwatch({ kind: 'symbol', symbol, window }));
}

function unwatch(target: UnwatchTarget): Command {
  return { kind: 'unwatch', target };
}

function unknownArgument(command: CommandName, token: string): CommandError {
  return { code: 'unknown-argument', command, token };
}

function ok(command: Command): ParsedCommand {
  return { ok: true, command };
}

function fail(error: CommandError): ParsedCommand {
  return { ok: false, error };
}
