import { describe, expect, it } from 'vitest';
import { channelDiff, planSubscription } from '../../pipeline/feed/subscription-plan.js';
import { ineligibleCondition } from '../../pipeline/feed/trade-conditions.js';

describe('planSubscription', () => {
  const counts = new Map([
    ['AAA', 1],
    ['BBB', 5],
    ['CCC', 3],
    ['DDD', 3],
  ]);

  it('gives trades to the most-watched symbols up to the limit, ties alphabetically, and bars to the rest', () => {
    expect(planSubscription(counts, { maxTradeSymbols: 2, allBars: false })).toEqual({
      trades: ['BBB', 'CCC'],
      bars: ['AAA', 'DDD'],
    });
  });

  it('puts pinned symbols on trades first, and everything else on bars for the whole market with allBars', () => {
    expect(planSubscription(counts, { maxTradeSymbols: 2, allBars: true, pinned: ['ZZZ'] })).toEqual({
      trades: ['BBB', 'ZZZ'],
      bars: '*',
    });
  });

  it('puts every watched symbol on trades without a limit', () => {
    expect(planSubscription(counts, { maxTradeSymbols: undefined, allBars: false }).trades).toHaveLength(4);
  });
});

describe('channelDiff', () => {
  it('sends only the difference, and swaps a symbol list for "*" cleanly', () => {
    expect(channelDiff(['A', 'B'], ['B', 'C'])).toEqual({ add: ['C'], remove: ['A'] });
    expect(channelDiff(['A'], '*')).toEqual({ add: ['*'], remove: ['A'] });
    expect(channelDiff('*', ['A'])).toEqual({ add: ['A'], remove: ['*'] });
  });
});

describe('ineligibleCondition (CTA / UTP last-sale eligibility)', () => {
  it('keeps regular, intermarket sweep and extended-hours prints', () => {
    expect(ineligibleCondition({ conditions: ['@', 'F'], tape: 'C' })).toBeUndefined();
    expect(ineligibleCondition({ conditions: ['@', 'T'], tape: 'A' })).toBeUndefined();
  });

  it('drops odd lots, out-of-sequence and late reports on every tape', () => {
    expect(ineligibleCondition({ conditions: ['@', 'I'], tape: 'C' })).toBe('I');
    expect(ineligibleCondition({ conditions: ['Z'], tape: 'A' })).toBe('Z');
    expect(ineligibleCondition({ conditions: ['@', 'U'], tape: 'B' })).toBe('U');
  });

  it('reads B as average price on CTA but as an eligible bunched trade on UTP', () => {
    expect(ineligibleCondition({ conditions: ['B'], tape: 'A' })).toBe('B');
    expect(ineligibleCondition({ conditions: ['B'], tape: 'C' })).toBeUndefined();
    expect(ineligibleCondition({ conditions: ['W'], tape: 'C' })).toBe('W');
    expect(ineligibleCondition({ conditions: ['W'], tape: 'A' })).toBeUndefined();
  });
});
