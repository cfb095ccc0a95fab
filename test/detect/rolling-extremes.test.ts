import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../pipeline/demo/seeded-random.js';
import { RollingExtremes } from '../../pipeline/detect/rolling-extremes.js';

describe('RollingExtremes', () => {
  it('has no extremes before the first trade', () => {
    const window = new RollingExtremes(60_000);
    expect(window.high).toBeUndefined();
    expect(window.low).toBeUndefined();
  });

  it('tracks the highest and lowest price with the time each traded', () => {
    const window = new RollingExtremes(60_000);
    window.push(1_000, 10);
    window.push(2_000, 12);
    window.push(3_000, 9);
    window.push(4_000, 11);
    expect(window.high).toEqual({ ts: 2_000, price: 12 });
    expect(window.low).toEqual({ ts: 3_000, price: 9 });
  });

  it('keeps a trade exactly one window old and drops one older than that', () => {
    const window = new RollingExtremes(60_000);
    window.push(0, 20);
    window.push(30_000, 10);
    window.push(60_000, 15);
    expect(window.high).toEqual({ ts: 0, price: 20 });
    window.push(60_001, 15);
    expect(window.high).toEqual({ ts: 60_001, price: 15 });
    expect(window.low).toEqual({ ts: 30_000, price: 10 });
  });

  it('keeps the latest of equal prices', () => {
    const window = new RollingExtremes(60_000);
    window.push(1_000, 10);
    window.push(2_000, 10);
    expect(window.high).toEqual({ ts: 2_000, price: 10 });
    expect(window.low).toEqual({ ts: 2_000, price: 10 });
  });

  it('agrees with a brute-force scan over a long random walk', () => {
    const random = seededRandom(7);
    const windowMs = 5_000;
    const window = new RollingExtremes(windowMs);
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
        expect(window.high?.price).toBe(Math.max(...inWindow));
        expect(window.low?.price).toBe(Math.min(...inWindow));
      }
      if (history.length > 200) history.splice(0, history.length - 200);
    }
  });

  it('stays bounded by the trades inside one window', () => {
    const window = new RollingExtremes(1_000);
    // A steady rise is the worst case for the min deque: every trade stays until it ages out.
    for (let i = 0; i < 100_000; i += 1) window.push(i * 10, 100 + i * 0.01);
    expect(window.size).toBeLessThanOrEqual(2 * 101 + 2);
  });

  it('holds at most one entry per time bucket when bucketed, whatever the trade rate', () => {
    // One hour in 10 s buckets, a trade every 10 ms rising for 80 minutes: exact deques would hold 360,000.
    const window = new RollingExtremes(3_600_000, 10_000);
    for (let i = 0; i < 480_000; i += 1) window.push(i * 10, 100 + i * 0.0001);
    expect(window.size).toBeLessThanOrEqual(361 + 1);
    // The low is the first trade of the oldest bucket still in the window (up to 10 s older than the window).
    const now = 479_999 * 10;
    expect(window.lowTs).toBeGreaterThanOrEqual(now - 3_600_000 - 9_999);
    expect(window.lowTs).toBeLessThanOrEqual(now - 3_600_000);
    expect(window.highTs).toBe(now);
  });
});
