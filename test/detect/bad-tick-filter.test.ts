import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadTickFilter, type BadTickMark, type TickVerdict } from '../../shared/domain/bad-tick-filter.js';
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

  it('goes back to a mark exactly: after any batch, any continuation gets the verdicts it would have got without the batch', () => {
    // Prices that jump and come back (about 2 % apart around 100), at times with gaps past the horizon.
    const prints = (max: number) =>
      fc.array(
        fc.tuple(
          fc.integer({ min: 0, max: 400_000 }),
          fc.constantFrom(100, 100.2, 102, 102.5, 97.5, 98, 100.1),
        ),
        { maxLength: max },
      );
    fc.assert(
      fc.property(prints(30), prints(30), prints(30), (before, batch, after) => {
        let ms = 0;
        const timed = (list: readonly (readonly [number, number])[]) =>
          list.map(([gap, price]) => {
            ms += gap;
            return trade(ms, price);
          });
        const [beforeTrades, batchTrades, afterTrades] = [timed(before), timed(batch), timed(after)];
        const rolledBack = new BadTickFilter();
        const untouched = new BadTickFilter();
        for (const t of beforeTrades) {
          rolledBack.offer(t);
          untouched.offer(t);
        }
        const mark: BadTickMark = { held: [], heldLength: 0, dropped: 0, referencePrice: 0, referenceTs: 0 };
        rolledBack.markInto(mark);
        for (const t of batchTrades) rolledBack.offer(t);
        rolledBack.restoreMark(mark);
        const verdicts = (filter: BadTickFilter) =>
          afterTrades.map((t) => {
            const verdict = filter.offer(t);
            return verdict === 'release' ? [verdict, filter.released.map((r) => r.ts)] : [verdict];
          });
        expect(verdicts(rolledBack)).toEqual(verdicts(untouched));
        expect(rolledBack.dropped).toBe(untouched.dropped);
      }),
      { numRuns: 500 },
    );
  });
});
