import { describe, expect, it } from 'vitest';
import {
  isTradePrice,
  isTradeSize,
  MAX_PRICE,
  MAX_SIZE,
  MIN_PRICE,
  PRICE_RULE_TEXT,
  SIZE_RULE_TEXT,
} from '../../shared/domain/trade-bounds.js';
import { TRADE_BOUND_EDGES } from '../helpers/trade-bound-edges.js';

describe('the shared trade bounds', () => {
  it.each(TRADE_BOUND_EDGES)('accept $bound ($inside) and refuse just past it ($outside)', (edge) => {
    const accepts = edge.field === 'price' ? isTradePrice : isTradeSize;
    expect(accepts(edge.inside)).toBe(true);
    expect(accepts(edge.outside)).toBe(false);
  });

  it('keep real prints: a $0.000001 grey-market fill, BRK.A near $700,000, a billion-share sub-penny print', () => {
    expect(isTradePrice(0.000001)).toBe(true);
    expect(isTradePrice(0.00005)).toBe(true);
    expect(isTradePrice(700_000)).toBe(true);
    expect(isTradeSize(1_000_000_000)).toBe(true);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '50', undefined])(
    'refuse %s as a price and as a size',
    (value) => {
      expect(isTradePrice(value)).toBe(false);
      expect(isTradeSize(value)).toBe(false);
    },
  );

  it('say the bounds in words that name the numbers', () => {
    expect(PRICE_RULE_TEXT).toBe(`a price is a number from ${MIN_PRICE} to ${MAX_PRICE}`);
    expect(PRICE_RULE_TEXT).toBe('a price is a number from 0.000001 to 10000000');
    expect(SIZE_RULE_TEXT).toBe(`a size is a number from 0 to ${MAX_SIZE}`);
  });
});
