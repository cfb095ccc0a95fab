import { describe, expect, it } from 'vitest';
import { TRADE_BOUNDS, tradeOutOfBounds, tradesInBounds } from '../../pipeline/detect/trade-bounds.js';
import { RecordDecodeError } from '../../shared/records/record-decode-error.js';
import { priceAndSize, TRADE_BOUND_EDGES } from '../helpers/trade-bound-edges.js';

const ARRIVAL = Date.parse('2024-03-05T15:00:00Z');

describe("the detector's trade checks", () => {
  it.each(TRADE_BOUND_EDGES)(
    'take $bound from the shared bounds: $inside is kept, $outside refused',
    (edge) => {
      const inside = { symbol: 'BAC', ts: ARRIVAL, ...priceAndSize(edge, edge.inside) };
      const outside = { symbol: 'BAC', ts: ARRIVAL, ...priceAndSize(edge, edge.outside) };

      expect(tradeOutOfBounds(inside, ARRIVAL)).toBeUndefined();
      expect(tradesInBounds([inside], ARRIVAL)).toEqual([inside]);
      expect(tradeOutOfBounds(outside, ARRIVAL)).toMatch(
        new RegExp(
          `^${edge.field} ${String(edge.outside).replace(/[.+]/g, '\\$&')} is out of bounds; a ${edge.field} is a number from `,
        ),
      );
      expect(() => tradesInBounds([inside, outside], ARRIVAL)).toThrow(RecordDecodeError);
    },
  );

  it('keep a trade up to the allowed skew ahead of its record, and refuse one a moment later', () => {
    const trade = (ts: number) => ({ symbol: 'BAC', ts, price: 10, size: 1 });
    expect(tradeOutOfBounds(trade(ARRIVAL + TRADE_BOUNDS.maxAheadOfArrivalMs), ARRIVAL)).toBeUndefined();
    expect(tradeOutOfBounds(trade(ARRIVAL + TRADE_BOUNDS.maxAheadOfArrivalMs + 1), ARRIVAL)).toMatch(
      /is more than 5 minutes after the record arrived/,
    );
  });

  it('refuse a symbol outside the shared symbol rule', () => {
    expect(() => tradesInBounds([{ symbol: 'bac', ts: ARRIVAL, price: 10, size: 1 }], ARRIVAL)).toThrow(
      /trade 0: symbol "bac" is not a ticker/,
    );
  });
});
