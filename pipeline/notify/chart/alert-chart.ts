import type { Alert } from '../../../shared/domain/alert.js';
import { describeWindow, WINDOW_MS } from '../../../shared/domain/window.js';
import type { Picture } from '../../../shared/ports/messenger.js';
import type { PriceHistory } from '../../../shared/ports/price-history.js';
import { priceChartSvg } from './price-chart-svg.js';
import { renderPng, warmChartRenderer } from './render-png.js';

export const CHART_WIDTH = 520;
export const CHART_HEIGHT = 220;

/**
 * The PNG chart of an alert's window: prices from one window before the move's end up to it,
 * with the move's start and end marked.
 */
export async function renderAlertChart(alert: Alert, history: PriceHistory | undefined): Promise<Picture> {
  const fromTs = Math.min(alert.fromTs, alert.toTs - WINDOW_MS[alert.window]);
  const points = history === undefined ? [] : await history.pricesBetween(alert.symbol, fromTs, alert.toTs);
  const svg = priceChartSvg({
    points,
    from: { ts: alert.fromTs, price: alert.fromPrice },
    to: { ts: alert.toTs, price: alert.toPrice },
    direction: alert.direction,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    symbol: alert.symbol,
    caption: `${alert.direction === 'down' ? 'fell' : 'rose'} ${Math.abs(alert.movePct).toFixed(1)}% in ${describeWindow(alert.window)}`,
  });
  const png = await renderPng(svg);
  return {
    fileName: `${alert.symbol.toLowerCase()}-${alert.window}.png`,
    png,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    altText: `${alert.symbol} price over the last ${alert.window}: ${alert.fromPrice} → ${alert.toPrice}`,
  };
}

let warmed: Promise<void> | undefined;

/**
 * Compiles the renderer for alert charts ahead of the first alert (see warmChartRenderer): one sample chart,
 * once per process however many notifiers ask (the notifier Lambda's init and its handler both do).
 */
export function warmAlertCharts(): Promise<void> {
  warmed ??= renderSampleChart();
  return warmed;
}

async function renderSampleChart(): Promise<void> {
  const end = Date.UTC(2026, 0, 5, 15, 0);
  const points = Array.from({ length: 16 }, (_, i) => ({
    ts: end - (15 - i) * 60_000,
    price: 34 - i * 0.07 + (i % 3) * 0.05,
  }));
  await warmChartRenderer(
    priceChartSvg({
      points,
      from: { ts: end - 15 * 60_000, price: 34.21 },
      to: { ts: end, price: 33.18 },
      direction: 'down',
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      symbol: 'BAC',
      caption: 'fell 3.0% in 15 min',
    }),
  );
}
