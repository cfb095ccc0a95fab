/**
 * One fresh process of `npm run bench:charts`' cold-start comparison: the example alert chart rendered 20
 * times right after start-up, either as the notifier ships it (`shipped`: warmAlertCharts, then renderPng)
 * or as @resvg/resvg-wasm runs by default (`library`: V8's baseline compiler first, warmed with one tiny
 * render as the notifier did before). Prints `{ warmMs, rendersMs }` as JSON on stdout.
 */
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { warmAlertCharts } from '../pipeline/notify/chart/alert-chart.js';
import { CHART_ASSETS, loadChartAsset } from '../pipeline/notify/chart/chart-assets.js';
import { renderPng } from '../pipeline/notify/chart/render-png.js';
import { exampleAlertSvg } from './chart-example-data.js';

const RENDERS = 20;
const mode = process.argv[2];
const svg = exampleAlertSvg();

async function libraryRenderer(): Promise<(svg: string) => Uint8Array> {
  await initWasm(loadChartAsset(CHART_ASSETS.wasm));
  const fontBuffers = CHART_ASSETS.fonts.map((font) => new Uint8Array(loadChartAsset(font)));
  return (input) =>
    new Resvg(input, { font: { fontBuffers, defaultFontFamily: 'Inter', loadSystemFonts: false } })
      .render()
      .asPng();
}

const warmStart = performance.now();
let render: (svg: string) => Promise<Uint8Array> | Uint8Array;
if (mode === 'shipped') {
  await warmAlertCharts();
  render = renderPng;
} else if (mode === 'library') {
  const library = await libraryRenderer();
  library(
    '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><text x="0" y="6" font-family="Inter">0</text></svg>',
  );
  render = library;
} else {
  throw new Error(`usage: chart-cold-child.ts shipped|library (got ${mode})`);
}
const warmMs = performance.now() - warmStart;
const rendersMs: number[] = [];
for (let i = 0; i < RENDERS; i += 1) {
  const start = performance.now();
  await render(svg);
  rendersMs.push(Number((performance.now() - start).toFixed(2)));
}
process.stdout.write(`${JSON.stringify({ warmMs: Math.round(warmMs), rendersMs })}\n`);
