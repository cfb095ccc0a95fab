import { describe, expect, it } from 'vitest';
import { renderConsoleReply } from '../../bot/console/console-text.js';
import type { Command } from '../../bot/core/command.js';
import type { CommandError } from '../../bot/core/command-error.js';
import { parseCommand, splitCommandLine } from '../../bot/core/parse-command.js';
import {
  DEFAULT_DIRECTION,
  DEFAULT_HOURS,
  DEFAULT_THRESHOLD_PCT,
  DEFAULT_WINDOW,
  MAX_THRESHOLD_PCT,
  MIN_THRESHOLD_PCT,
} from '../../shared/domain/watch.js';

function parsed(line: string): Command {
  const split = splitCommandLine(line);
  if (split === undefined) throw new Error(`not a command line: ${line}`);
  const result = parseCommand(split.name, split.args);
  if (!result.ok) throw new Error(`expected ${line} to parse, got ${JSON.stringify(result.error)}`);
  return result.command;
}

function error(line: string): CommandError {
  const split = splitCommandLine(line);
  if (split === undefined) throw new Error(`not a command line: ${line}`);
  const result = parseCommand(split.name, split.args);
  if (result.ok) throw new Error(`expected ${line} to fail, got ${JSON.stringify(result.command)}`);
  return result.error;
}

describe('splitCommandLine', () => {
  it('splits a console line into the name without the slash and its tokens', () => {
    expect(splitCommandLine('  /watch  BAC 3%\t15m ')).toEqual({ name: 'watch', args: ['BAC', '3%', '15m'] });
  });

  it('gives no arguments for a bare command', () => {
    expect(splitCommandLine('/watchlist')).toEqual({ name: 'watchlist', args: [] });
  });

  it('returns undefined for text that is not a command', () => {
    expect(splitCommandLine('hello there')).toBeUndefined();
    expect(splitCommandLine('   ')).toBeUndefined();
  });
});

describe('parseCommand /watch', () => {
  it('fills every default when only the symbol is given, upper-casing it', () => {
    expect(parsed('/watch bac')).toEqual({
      kind: 'watch',
      symbol: 'BAC',
      thresholdPct: DEFAULT_THRESHOLD_PCT,
      window: DEFAULT_WINDOW,
      direction: DEFAULT_DIRECTION,
      hours: DEFAULT_HOURS,
    });
  });

  it('reads all four options', () => {
    expect(parsed('/watch TSLA 5% 1h down regular')).toEqual({
      kind: 'watch',
      symbol: 'TSLA',
      thresholdPct: 5,
      window: '1h',
      direction: 'down',
      hours: 'regular',
    });
  });

  it('accepts the options in any order', () => {
    const expected = parsed('/watch BAC 2.5% 5m up regular');
    expect(parsed('/watch BAC regular up 5m 2.5%')).toEqual(expected);
    expect(parsed('/watch BAC 5m 2.5 regular up')).toEqual(expected);
  });

  it.each([
    ['3', 3],
    ['3%', 3],
    ['2.5%', 2.5],
    ['.5', 0.5],
    [`${MIN_THRESHOLD_PCT}%`, MIN_THRESHOLD_PCT],
    [`${MAX_THRESHOLD_PCT}`, MAX_THRESHOLD_PCT],
  ])('reads threshold %s as %s percent', (token, value) => {
    expect(parsed(`/watch BAC ${token}`)).toMatchObject({ thresholdPct: value });
  });

  it('accepts the command name with a slash and in any case, as adapters may pass it', () => {
    expect(parseCommand('/WATCH', ['BAC', '15M', 'UP'])).toMatchObject({
      ok: true,
      command: { kind: 'watch', window: '15m', direction: 'up' },
    });
  });

  it('accepts symbols with dots and dashes', () => {
    expect(parsed('/watch brk.b')).toMatchObject({ symbol: 'BRK.B' });
  });

  it('reports a missing symbol', () => {
    expect(error('/watch')).toEqual({ code: 'missing-symbol', command: 'watch' });
  });

  it.each(['B@C', '3%', 'TOOLONGSYMBOL'])('reports %s as a bad symbol, as typed', (token) => {
    expect(error(`/watch ${token} 3%`)).toEqual({ code: 'bad-symbol', command: 'watch', token });
  });

  it.each([
    ['ßAC', 'ß'],
    ['ﬃ', 'ﬃ'],
    ['ıBM', 'ı'],
    ['BAÇ', 'Ç'],
  ])(
    'refuses %s before upper-casing could turn it into another ticker, naming the character',
    (token, character) => {
      expect(error(`/watch ${token} 3%`)).toEqual({
        code: 'non-ascii-symbol',
        command: 'watch',
        token,
        character,
      });
      expect(error(`/unwatch ${token}`)).toEqual({
        code: 'non-ascii-symbol',
        command: 'unwatch',
        token,
        character,
      });
      const reply = renderConsoleReply({ kind: 'rejected', error: error(`/watch ${token} 3%`) });
      expect(reply).toContain(`"${character}", which is not a plain letter`);
      expect(reply).toContain('A–Z, 0–9');
    },
  );

  it.each(['abc%', '3,5', '1.2.3', 'NaN%', `${'9'.repeat(400)}%`])(
    'reports %s as a bad threshold',
    (token) => {
      expect(error(`/watch BAC ${token}`)).toEqual({ code: 'bad-threshold', token });
    },
  );

  it.each([
    ['0.05%', 0.05],
    ['51%', 51],
    ['-3%', -3],
    ['0', 0],
  ])('reports %s as out of range with the allowed bounds', (token, value) => {
    expect(error(`/watch BAC ${token}`)).toEqual({
      code: 'threshold-out-of-range',
      token,
      value,
      min: MIN_THRESHOLD_PCT,
      max: MAX_THRESHOLD_PCT,
    });
  });

  it.each(['15x', '2h', '30min'])('reports %s as a bad window', (token) => {
    expect(error(`/watch BAC 3% ${token}`)).toEqual({ code: 'bad-window', command: 'watch', token });
  });

  it('reports an unclassifiable token by name', () => {
    expect(error('/watch BAC 3% sideways 15m')).toEqual({
      code: 'unknown-argument',
      command: 'watch',
      token: 'sideways',
    });
  });

  it.each([
    ['/watch BAC 3% 4%', '4%', 'threshold'],
    ['/watch BAC 15m 1h', '1h', 'window'],
    ['/watch BAC up down', 'down', 'direction'],
    ['/watch BAC all regular', 'regular', 'hours'],
  ] as const)('reports the repeated token in %s', (line, token, kind) => {
    expect(error(line)).toEqual({ code: 'duplicate-argument', command: 'watch', token, kind });
  });

  it('reports the first problem from the left', () => {
    expect(error('/watch BAC 15x 99%')).toMatchObject({ code: 'bad-window', token: '15x' });
  });
});

describe('parseCommand /unwatch', () => {
  it('removes every window of a symbol when no window is given', () => {
    expect(parsed('/unwatch bac')).toEqual({ kind: 'unwatch', target: { kind: 'symbol', symbol: 'BAC' } });
  });

  it('removes one window when given', () => {
    expect(parsed('/unwatch BAC 15m')).toEqual({
      kind: 'unwatch',
      target: { kind: 'symbol', symbol: 'BAC', window: '15m' },
    });
  });

  it('clears the list for lower-case "all"', () => {
    expect(parsed('/unwatch all')).toEqual({ kind: 'unwatch', target: { kind: 'all' } });
  });

  it('reads upper-case ALL, or all with a window, as the Allstate ticker', () => {
    expect(parsed('/unwatch ALL')).toEqual({ kind: 'unwatch', target: { kind: 'symbol', symbol: 'ALL' } });
    expect(parsed('/unwatch all 5m')).toEqual({
      kind: 'unwatch',
      target: { kind: 'symbol', symbol: 'ALL', window: '5m' },
    });
  });

  it('reports a missing symbol, a bad symbol, a bad window and an extra token', () => {
    expect(error('/unwatch')).toEqual({ code: 'missing-symbol', command: 'unwatch' });
    expect(error('/unwatch $BAC')).toEqual({ code: 'bad-symbol', command: 'unwatch', token: '$BAC' });
    expect(error('/unwatch BAC 15x')).toEqual({ code: 'bad-window', command: 'unwatch', token: '15x' });
    expect(error('/unwatch BAC 15m up')).toEqual({
      code: 'unknown-argument',
      command: 'unwatch',
      token: 'up',
    });
  });
});

describe('parseCommand other commands', () => {
  it('parses /watchlist and rejects arguments to it', () => {
    expect(parsed('/watchlist')).toEqual({ kind: 'watchlist' });
    expect(error('/watchlist BAC')).toEqual({ code: 'unknown-argument', command: 'watchlist', token: 'BAC' });
  });

  it('parses /help, ignoring a topic', () => {
    expect(parsed('/help')).toEqual({ kind: 'help' });
    expect(parsed('/help watch')).toEqual({ kind: 'help' });
  });

  it('reports an unknown command by the name given', () => {
    expect(error('/watchh BAC')).toEqual({ code: 'unknown-command', name: 'watchh' });
    expect(error('/')).toEqual({ code: 'unknown-command', name: '' });
  });
});
