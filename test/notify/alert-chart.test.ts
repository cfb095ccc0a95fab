import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, renderAlertChart } from '../../pipeline/notify/chart/alert-chart.js';
import { priceChartSvg } from '../../pipeline/notify/chart/price-chart-svg.js';
import { timeTicks } from '../../pipeline/notify/chart/time-ticks.js';
import { alertFactory, pngSize } from '../helpers/alerts.js';

describe('alert DM chart', () => {
  const alert = alertFactory();
  const points = Array.from({ length: 60 }, (_, i) => ({
    ts: alert.toTs - (59 - i) * 15_000,
    price: 13.9 - Math.max(0, i - 30) * 0.019 + (i % 3) * 0.005,
  }));

  it('labels the symbol, the high, the low and the last price, and ticks the time in New York time', () => {
    const svg = priceChartSvg({
      points,
      from: { ts: alert.fromTs, price: alert.fromPrice },
      to: { ts: alert.toTs, price: alert.toPrice },
      direction: 'down',
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      symbol: 'BAC',
      caption: 'fell 4.1% in 15 min',
    });
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
    expect(texts).toContain('BAC');
    expect(texts).toContain('fell 4.1% in 15 min');
    expect(texts).toContain('13.92 high');
    expect(texts).toContain('13.35 low · last');
    // 09:52:45 → 10:07 ET: ticks every 5 minutes, labelled in ET (the alert is at 15:07 UTC).
    expect(texts).toEqual(expect.arrayContaining(['09:55', '10:00', '10:05', 'ET']));
  });

  it('renders a PNG under 60 KB whose text comes from the bundled font', async () => {
    const history = { pricesBetween: async () => points };
    const chart = await renderAlertChart(alert, history);
    expect(pngSize(chart.png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(chart.png.length).toBeLessThan(60_000);
    const blank = await renderAlertChart({ ...alert, symbol: '' }, history);
    expect(chart.png.length).toBeGreaterThan(blank.png.length);
  });

  it('puts time ticks on round New York minutes, whatever the UTC offset', () => {
    const summer = Date.parse('2024-07-01T14:02:00Z'); // 10:02 EDT
    expect(timeTicks(summer, summer + 3_600_000, 6).map((tick) => tick.label)).toEqual([
      '10:10',
      '10:20',
      '10:30',
      '10:40',
      '10:50',
      '11:00',
    ]);
  });
});
