import {
  DEFAULT_DIGEST_SCHEDULE,
  type DigestSchedule,
  parseClockTime,
} from '../../shared/domain/digest-schedule.js';
import { MAX_DIGEST_SYMBOLS } from '../../shared/domain/subscription.js';
import type { Command } from './command.js';
import type { CommandError } from './command-error.js';
import { parseSymbol } from './parse-symbol.js';

export type ParsedDigest =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly error: CommandError };

/**
 * `/digest` (show), `/digest on [hourly | daily [HH:MM]] [SYMBOL ...]`, `/digest off`, `/digest now`.
 * Words are case-insensitive; the schedule, when given, comes right after `on`.
 */
export function parseDigest(args: readonly string[]): ParsedDigest {
  const [actionToken, ...rest] = args;
  if (actionToken === undefined) return ok({ kind: 'show' });
  const action = actionToken.toLowerCase();
  if (action === 'off' || action === 'now') {
    const extra = rest[0];
    if (extra !== undefined) return fail({ code: 'unknown-argument', command: 'digest', token: extra });
    return ok({ kind: action });
  }
  if (action !== 'on') return fail({ code: 'bad-digest-action', token: actionToken });
  return parseOn(rest);
}

function parseOn(args: readonly string[]): ParsedDigest {
  let schedule: DigestSchedule = DEFAULT_DIGEST_SCHEDULE;
  let index = 0;
  const first = args[0]?.toLowerCase();
  if (first === 'hourly') {
    schedule = { kind: 'hourly' };
    index = 1;
  } else if (first === 'daily') {
    index = 1;
    const timeToken = args[1];
    if (timeToken !== undefined && /^\d/.test(timeToken)) {
      const time = parseClockTime(timeToken);
      if (time === undefined) return fail({ code: 'bad-digest-time', token: timeToken });
      schedule = { kind: 'daily', ...time };
      index = 2;
    }
  } else if (first !== undefined && /^\d/.test(first)) {
    // A bare time is a daily time typed without `daily`.
    const time = parseClockTime(first);
    if (time === undefined) return fail({ code: 'bad-digest-time', token: args[0] ?? first });
    schedule = { kind: 'daily', ...time };
    index = 1;
  }
  const symbols: string[] = [];
  for (const token of args.slice(index)) {
    const symbol = parseSymbol('digest', token.replace(/,$/, ''));
    if (typeof symbol !== 'string') return fail(symbol);
    if (!symbols.includes(symbol)) symbols.push(symbol);
  }
  if (symbols.length > MAX_DIGEST_SYMBOLS) {
    return fail({ code: 'too-many-digest-symbols', count: symbols.length, limit: MAX_DIGEST_SYMBOLS });
  }
  return ok({ kind: 'on', schedule, symbols });
}

function ok(action: Extract<Command, { kind: 'digest' }>['action']): ParsedDigest {
  return { ok: true, command: { kind: 'digest', action } };
}

function fail(error: CommandError): ParsedDigest {
  return { ok: false, error };
}
