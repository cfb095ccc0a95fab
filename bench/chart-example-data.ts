/** The example data of `npm run bench:charts`: a seeded minute-bar walk and the example alert on it. */

import { seededRandom } from '../pipeline/demo/seeded-random.js';
import type { DigestBar } from '../pipeline/digest/digest.js';
import { priceChartSvg } from '../pipeline/notify/chart/price-chart-svg.js';
import type { AlertFields } from '../shared/domain/alert.js';

export const OPEN = Date.parse('2024-03-05T09:30:00-05:00');

/** A seeded random walk of minute closes, with a sell-off `dropAt` minutes in. */
export function walk(
  seed: number,
  start: number,
  minutes: number,
  drift: number,
  dropAt?: number,
): DigestBar[] {
  const random = seededRandom(seed);
  const bars: DigestBar[] = [];
  let price = start;
  for (let i = 0; i < minutes; i += 1) {
    const open = price;
    price *= 1 + (random() - 0.5) * 0.004 + drift;
    if (dropAt !== undefined && i >= dropAt && i < dropAt + 7) price *= 0.994;
    bars.push({
      minute: OPEN + i * 60_000,
      open,
      high: Math.max(open, price),
      low: Math.min(open, price),
      close: price,
    });
  }
  return bars;
}

export function exampleAlert(): { fields: AlertFields; points: { ts: number; price: number }[] } {
  const bars = walk(7, 13.95, 40, 0, 30);
  const from = bars[29] as DigestBar;
  const to = bars[36] as DigestBar;
  const fields: AlertFields = {
    userKey: 'discord:100000000000000001',
    symbol: 'BAC',
    window: '15m',
    direction: 'down',
    thresholdPct: 3,
    level: 1,
    movePct: ((to.close - from.close) / from.close) * 100,
    fromPrice: Number(from.close.toFixed(2)),
    fromTs: from.minute,
    toPrice: Number(to.close.toFixed(2)),
    toTs: to.minute,
  };
  return { fields, points: bars.slice(0, 37).map((bar) => ({ ts: bar.minute, price: bar.close })) };
}

/** The example alert's DM chart as SVG (what the render timings render). */
export function exampleAlertSvg(): string {
  const { fields, points } = exampleAlert();
  return priceChartSvg({
    points,
    from: { ts: fields.fromTs, price: fields.fromPrice },
    to: { ts: fields.toTs, price: fields.toPrice },
    direction: 'down',
    width: 520,
    height: 220,
    symbol: 'BAC',
    caption: 'fell 4.1% in 15 min',
  });
}
