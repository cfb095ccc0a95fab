import { describe, expect, it } from 'vitest';
import { parseUnwatchOptions, parseWatchOptions } from '../../bot/core/parse-options.js';

describe('parsing named options (Discord)', () => {
  it('fills the defaults and reads each option by its kind', () => {
    expect(parseWatchOptions({ symbol: 'bac' })).toEqual({
      ok: true,
      command: {
        kind: 'watch',
        symbol: 'BAC',
        thresholdPct: 3,
        window: '15m',
        direction: 'both',
        hours: 'all',
      },
    });
    expect(
      parseWatchOptions({ symbol: 'TSLA', threshold: 8, window: '1d', direction: 'down', hours: 'regular' }),
    ).toMatchObject({
      ok: true,
      command: { thresholdPct: 8, window: '1d', direction: 'down', hours: 'regular' },
    });
  });

  it.each([
    [{ symbol: 'BAC', threshold: 0 }, 'threshold-out-of-range'],
    [{ symbol: 'BAC', threshold: -2 }, 'threshold-out-of-range'],
    [{ symbol: 'BAC', threshold: 5000 }, 'threshold-out-of-range'],
    [{ symbol: 'BAC', threshold: 'lots' }, 'unknown-argument'],
    [{ symbol: 'BAC', window: '2h' }, 'bad-window'],
    [{ symbol: 'BAC', window: 'weekly' }, 'unknown-argument'],
    [{ symbol: 'BAC', window: 'up' }, 'bad-window'],
    [{ symbol: 'BAC', direction: '15m' }, 'unknown-argument'],
    [{ symbol: 'BAC', hours: 'night' }, 'unknown-argument'],
    [{ symbol: 'BAC 3%' }, 'bad-symbol'],
    [{ symbol: undefined }, 'missing-symbol'],
  ])('rejects %o as %s', (options, code) => {
    const parsed = parseWatchOptions(options);
    expect(parsed.ok ? 'ok' : parsed.error.code).toBe(code);
  });

  it('parses /unwatch with and without a window, and all', () => {
    expect(parseUnwatchOptions({ symbol: 'bac', window: '1h' })).toMatchObject({
      ok: true,
      command: { target: { kind: 'symbol', symbol: 'BAC', window: '1h' } },
    });
    expect(parseUnwatchOptions({ symbol: 'all' })).toMatchObject({
      ok: true,
      command: { target: { kind: 'all' } },
    });
    const bad = parseUnwatchOptions({ symbol: 'BAC', window: '7m' });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('bad-window');
  });
});
