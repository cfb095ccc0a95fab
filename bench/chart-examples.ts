/**
 * Renders the example charts in docs/ (an alert DM chart and a digest chart), and measures the render time
 * of one chart with resvg compiled to WebAssembly (what ships) against the native @resvg/resvg-js binary
 * (a devDependency kept for this comparison). `npm run bench:charts`; writes bench/results/charts.json.
 */

import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Resvg as NativeResvg } from '@resvg/resvg-js';
import { buildDigest } from '../pipeline/digest/build-digest.js';
import { renderDigestChart } from '../pipeline/digest/digest-chart.js';
import { customPeriod } from '../pipeline/digest/digest-period.js';
import { renderAlertChart } from '../pipeline/notify/chart/alert-chart.js';
import { CHART_ASSETS } from '../pipeline/notify/chart/chart-assets.js';
import { renderPng } from '../pipeline/notify/chart/render-png.js';
import { alertIdFor } from '../shared/domain/alert.js';
import { exampleAlert, exampleAlertSvg, OPEN, walk } from './chart-example-data.js';

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
  const svg = exampleAlertSvg();
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
  // A fresh process's first renders: what a notifier just started (a Lambda cold start) draws with.
  const firstRenders = (['library', 'shipped'] as const).map((mode) => ({ mode, ...coldStart(mode) }));
  console.table(firstRenders);
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
        firstRenders,
        firstRendersRatio: Number(
          ((firstRenders[0]?.medianMs ?? 0) / (firstRenders[1]?.medianMs ?? 1)).toFixed(2),
        ),
        dmPngBytes: dm.png.length,
        digestPngBytes: chart?.png.length,
      },
      null,
      2,
    ),
  );
}

/**
 * The first 20 renders of the example chart in a fresh process (bench/chart-cold-child.ts): `library` is
 * @resvg/resvg-wasm as it runs by default (V8's baseline compiler until a function has run enough),
 * `shipped` is renderPng after warmAlertCharts (optimised from the first call).
 */
function coldStart(mode: 'library' | 'shipped') {
  const child = fileURLToPath(new URL('./chart-cold-child.ts', import.meta.url));
  const output = execFileSync(process.execPath, ['--import', 'tsx', child, mode], { encoding: 'utf8' });
  const { warmMs, rendersMs } = JSON.parse(output) as { warmMs: number; rendersMs: number[] };
  const sorted = [...rendersMs].sort((a, b) => a - b);
  return {
    warmMs,
    medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
    maxMs: sorted.at(-1) ?? 0,
    totalMs: Math.round(rendersMs.reduce((sum, ms) => sum + ms, 0)),
  };
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
