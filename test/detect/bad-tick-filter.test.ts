import { describe, expect, it } from 'vitest';
import { BadTickFilter, type TickVerdict } from '../../shared/domain/bad-tick-filter.js';
import type { Trade } from '../../shared/domain/trade.js';

const T0 = Date.parse('2013-10-10T15:30:00-04:00');

function offerAll(prints: readonly (readonly [number, number])[]): TickVerdict[] {
  const filter = new BadTickFilter();
  return prints.map(([ms, price]) => filter.offer(trade(ms, price)));
}

function trade(ms: number, price: number): Trade {
  return { symbol: 'SPY', ts: T0 + ms, price, size: 100 };
}

describe('BadTickFilter', () => {
  it('drops a lone print far from the prevailing price once the next print is back', () => {
    expect(
      offerAll([
        [0, 169.07],
        [100, 165.59],
        [150, 169.07],
      ]),
    ).toEqual(['accept', 'hold', 'discard']);
  });

  it('drops a run of repeats of one off-market price (the same block reported again)', () => {
    const filter = new BadTickFilter();
    const verdicts = [
      [0, 13.81],
      [143_000, 14.12],
      [150_000, 14.12],
      [170_000, 14.12],
      [196_000, 13.81],
    ].map(([ms, price]) => filter.offer(trade(ms as number, price as number)));

    expect(verdicts).toEqual(['accept', 'hold', 'hold', 'hold', 'discard']);
    expect(filter.dropped).toBe(3);
  });

  it('uses a real jump, one print late, once a new price on the same side confirms it', () => {
    const filter = new BadTickFilter();
    const verdicts = [
      [0, 100],
      [1_000, 98],
      [2_000, 96.9],
    ].map(([ms, price]) => filter.offer(trade(ms as number, price as number)));

    expect(verdicts).toEqual(['accept', 'hold', 'release']);
    expect(filter.released.map((t) => t.price)).toEqual([98]);
  });

  it('does not let a print on the other side confirm a held one', () => {
    expect(
      offerAll([
        [0, 100],
        [1_000, 90],
        [2_000, 110],
        [3_000, 100.2],
      ]),
    ).toEqual(['accept', 'hold', 'hold', 'discard']);
  });

  it('accepts anything after a pause longer than its horizon: there is no prevailing price to be far from', () => {
    expect(
      offerAll([
        [0, 100],
        [6 * 60_000, 90],
      ]),
    ).toEqual(['accept', 'accept']);
  });

  it('accepts a held print that stood unchallenged for the horizon', () => {
    expect(
      offerAll([
        [0, 100],
        [1_000, 95],
        [1_000 + 6 * 60_000, 100],
      ]),
    ).toEqual(['accept', 'hold', 'release']);
  });
});
