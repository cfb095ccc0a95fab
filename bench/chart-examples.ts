/**
 * Renders the example charts in docs/ (an alert DM chart and a digest chart), and measures the render time
 * of one chart with resvg compiled to WebAssembly (what ships) against the native @resvg/resvg-js binary
 * (a devDependency kept for this comparison). `npm run bench:charts`; writes bench/results/charts.json.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Resvg as NativeResvg } from '@resvg/resvg-js';
import { seededRandom } from '../pipeline/demo/seeded-random.js';
import { buildDigest } from '../pipeline/digest/build-digest.js';
import type { DigestBar } from '../pipeline/digest/digest.js';
import { renderDigestChart } from '../pipeline/digest/digest-chart.js';
import { customPeriod } from '../pipeline/digest/digest-period.js';
import { renderAlertChart } from '../pipeline/notify/chart/alert-chart.js';
import { CHART_ASSETS } from '../pipeline/notify/chart/chart-assets.js';
import { priceChartSvg } from '../pipeline/notify/chart/price-chart-svg.js';
import { renderPng } from '../pipeline/notify/chart/render-png.js';
import { type AlertFields, alertIdFor } from '../shared/domain/alert.js';

const OPEN = Date.parse('2024-03-05T09:30:00-05:00');

/** A seeded random walk of minute closes, with a sell-off `dropAt` minutes in. */
function walk(seed: number, start: number, minutes: number, drift: number, dropAt?: number): DigestBar[] {
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

async function main(): Promise<void> {
  await mkdir('docs', { recursive: true });
  const { fields, points } = exampleAlert();
  const alert = { alertId: alertIdFor(fields, 100), ...fields };
  const dm = await renderAlertChart(alert, {
    pricesBetween: async (_s, a, b) => points.filter((p) => p.ts >= a && p.ts <= b),
  });
  await writeFile('docs/alert-chart.png', dm.png);

  const symbols: [string, number, number, number?][] = [
    ['AAPL', 171.2, -0.00012, 200],
    ['BAC', 34.1, 0.00009],
    ['IBM', 191.5, 0.00002, 320],
    ['SPY', 507.8, -0.00003],
    ['NVDA', 852.4, 0.00011],
    ['AIG', 74.2, -0.00006],
  ];
  const bars = new Map(
    symbols.map(([symbol, start, drift, dropAt], i) => [symbol, walk(11 + i, start, 390, drift, dropAt)]),
  );
  const digest = buildDigest({
    title: 'StockAlert daily digest',
    period: customPeriod(OPEN - 5.5 * 3_600_000, OPEN + 6.75 * 3_600_000),
    bars,
    alertCounts: new Map([
      ['AAPL', 2],
      ['IBM', 1],
    ]),
  });
  const chart = await renderDigestChart(digest);
  if (chart) await writeFile('docs/digest-chart.png', chart.png);

  // The render-time comparison, on the DM chart's SVG.
  const svg = priceChartSvg({
    points,
    from: { ts: alert.fromTs, price: alert.fromPrice },
    to: { ts: alert.toTs, price: alert.toPrice },
    direction: 'down',
    width: 520,
    height: 220,
    symbol: 'BAC',
    caption: 'fell 4.1% in 15 min',
  });
  const require = createRequire(import.meta.url);
  const fontFiles = CHART_ASSETS.fonts.map((font) => require.resolve(font.packagePath));
  const runs = Number(process.env.CHART_BENCH_RUNS ?? 40);
  const wasm = await time(runs, () => renderPng(svg));
  const native = await time(runs, async () =>
    new NativeResvg(svg, { font: { fontFiles, defaultFontFamily: 'Inter', loadSystemFonts: false } })
      .render()
      .asPng(),
  );
  const rows = [
    { renderer: '@resvg/resvg-wasm', ...wasm },
    { renderer: '@resvg/resvg-js (native)', ...native },
  ];
  console.table(rows);
  console.log(
    `docs/alert-chart.png ${dm.png.length} bytes, docs/digest-chart.png ${chart?.png.length} bytes`,
  );
  await mkdir('bench/results', { recursive: true });
  await writeFile(
    'bench/results/charts.json',
    JSON.stringify(
      {
        runs,
        arch: process.arch,
        node: process.version,
        rows,
        dmPngBytes: dm.png.length,
        digestPngBytes: chart?.png.length,
      },
      null,
      2,
    ),
  );
}

async function time(runs: number, render: () => Promise<Uint8Array> | Uint8Array) {
  await render(); // warm-up: WebAssembly compile and font parsing happen once per process
  const ms: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await render();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return {
    medianMs: Number((ms[Math.floor(ms.length / 2)] ?? 0).toFixed(2)),
    p95Ms: Number((ms[Math.floor(ms.length * 0.95)] ?? 0).toFixed(2)),
  };
}

await main();
