import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../pipeline/demo/seeded-random.js';
import { SYMBOL_WINDOWS } from '../../pipeline/detect/symbol-state.js';
import { extremesOf, oneWindow, setAndSingles } from '../helpers/window-sets.js';

describe('WindowSet', () => {
  it('has no extremes before the first trade', () => {
    const window = oneWindow(60_000);
    expect(window.high(0)).toBeUndefined();
    expect(window.low(0)).toBeUndefined();
  });

  it('tracks the highest and lowest price with the time each traded', () => {
    const window = oneWindow(60_000);
    window.push(1_000, 10);
    window.push(2_000, 12);
    window.push(3_000, 9);
    window.push(4_000, 11);
    expect(window.high(0)).toEqual({ ts: 2_000, price: 12 });
    expect(window.low(0)).toEqual({ ts: 3_000, price: 9 });
  });

  it('keeps a trade exactly one window old and drops one older than that', () => {
    const window = oneWindow(60_000);
    window.push(0, 20);
    window.push(30_000, 10);
    window.push(60_000, 15);
    expect(window.high(0)).toEqual({ ts: 0, price: 20 });
    window.push(60_001, 15);
    expect(window.high(0)).toEqual({ ts: 60_001, price: 15 });
    expect(window.low(0)).toEqual({ ts: 30_000, price: 10 });
  });

  it('keeps the latest of equal prices', () => {
    const window = oneWindow(60_000);
    window.push(1_000, 10);
    window.push(2_000, 10);
    expect(window.high(0)).toEqual({ ts: 2_000, price: 10 });
    expect(window.low(0)).toEqual({ ts: 2_000, price: 10 });
  });

  it('agrees with a brute-force scan over a long random walk', () => {
    const random = seededRandom(7);
    const windowMs = 5_000;
    const window = oneWindow(windowMs);
    const history: { ts: number; price: number }[] = [];
    let ts = 0;
    let price = 100;
    for (let i = 0; i < 20_000; i += 1) {
      ts += Math.floor(random() * 400);
      price = Math.max(1, price + (random() - 0.5));
      window.push(ts, price);
      history.push({ ts, price });
      const inWindow = history.filter((point) => point.ts >= ts - windowMs).map((point) => point.price);
      if (i % 97 === 0) {
        expect(window.high(0)?.price).toBe(Math.max(...inWindow));
        expect(window.low(0)?.price).toBe(Math.min(...inWindow));
      }
      if (history.length > 200) history.splice(0, history.length - 200);
    }
  });

  it('stays bounded by the trades inside one window', () => {
    const window = oneWindow(1_000);
    // A steady rise is the worst case for the min deque: every trade stays until it ages out.
    for (let i = 0; i < 100_000; i += 1) window.push(i * 10, 100 + i * 0.01);
    expect(window.size(0)).toBeLessThanOrEqual(2 * 101 + 2);
  });

  it('holds at most one entry per time bucket when bucketed, whatever the trade rate', () => {
    // One hour in 10 s buckets, a trade every 10 ms rising for 80 minutes: exact deques would hold 360,000.
    const window = oneWindow(3_600_000, 10_000);
    for (let i = 0; i < 480_000; i += 1) window.push(i * 10, 100 + i * 0.0001);
    expect(window.size(0)).toBeLessThanOrEqual(361 + 1);
    // The low is the first trade of the oldest bucket still in the window (up to 10 s older than the window).
    const now = 479_999 * 10;
    expect(window.lowTs(0)).toBeGreaterThanOrEqual(now - 3_600_000 - 9_999);
    expect(window.lowTs(0)).toBeLessThanOrEqual(now - 3_600_000);
    expect(window.highTs(0)).toBe(now);
  });

  it('shows each window exactly as a set of that window alone would, where windows share their deques', () => {
    // Three exact windows share one pair of deques, two 1 s ones another, and one has its own.
    const shapes = [
      { windowMs: 1_000, bucketMs: 1 },
      { windowMs: 5_000, bucketMs: 1 },
      { windowMs: 15_000, bucketMs: 1 },
      { windowMs: 8_000, bucketMs: 1_000 },
      { windowMs: 3_000, bucketMs: 1_000 },
      { windowMs: 60_000, bucketMs: 20_000 },
    ];
    const steps = fc.array(fc.tuple(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 1, max: 40 })), {
      maxLength: 400,
    });
    fc.assert(
      fc.property(steps, (run) => {
        const { set, singles } = setAndSingles(shapes);
        let ts = 0;
        for (const [step, price] of run) {
          ts += step;
          set.push(ts, price);
          singles.forEach((single, window) => {
            single.push(ts, price);
            expect(extremesOf(set, window)).toEqual(extremesOf(single));
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with one set per window for the detector's five windows over a day of bursts and lulls", () => {
    const { set, singles } = setAndSingles(
      SYMBOL_WINDOWS.windowMs.map((windowMs, window) => ({
        windowMs,
        bucketMs: SYMBOL_WINDOWS.bucketMs[SYMBOL_WINDOWS.groupOf[window] as number] as number,
      })),
    );
    const random = seededRandom(11);
    let ts = 0;
    let price = 50;
    for (let i = 0; i < 40_000; i += 1) {
      // Mostly bursts of trades a few ms apart, now and then a lull of up to two hours.
      ts += random() < 0.001 ? Math.floor(random() * 7_200_000) : Math.floor(random() * 40);
      price = Math.max(1, price + Math.round((random() - 0.5) * 20) / 100);
      set.push(ts, price);
      singles.forEach((single, window) => {
        single.push(ts, price);
        if (i % 13 === 0) expect(extremesOf(set, window)).toEqual(extremesOf(single));
      });
    }
  });
});
