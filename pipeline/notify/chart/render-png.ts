import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { CHART_ASSETS, loadChartAsset } from './chart-assets.js';

let ready: Promise<Uint8Array[]> | undefined;

/** Loads resvg's WebAssembly module and the bundled fonts once per process. */
function fontsReady(): Promise<Uint8Array[]> {
  ready ??= initWasm(loadChartAsset(CHART_ASSETS.wasm)).then(() =>
    CHART_ASSETS.fonts.map((font) => new Uint8Array(loadChartAsset(font))),
  );
  return ready;
}

/**
 * Renders an SVG to PNG with resvg compiled to WebAssembly: no native module, so the same code
 * runs on x86-64 laptops and on Lambda arm64. Text uses only the bundled fonts.
 */
export async function renderPng(svg: string): Promise<Uint8Array> {
  const fontBuffers = await fontsReady();
  const resvg = new Resvg(svg, {
    font: { fontBuffers, defaultFontFamily: 'Inter', loadSystemFonts: false },
  });
  try {
    return resvg.render().asPng();
  } finally {
    resvg.free();
  }
}

const WARM_UP_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><text x="0" y="6" font-family="Inter">0</text></svg>';

/**
 * Loads the renderer now rather than on the first alert: compiling the WebAssembly module and the
 * first render take about 100 ms of the event loop, which otherwise fell on the first batch's DMs
 * (docs/architecture.md, "System proof"). A failure here is left for the first chart to log.
 */
export async function warmChartRenderer(): Promise<void> {
  await renderPng(WARM_UP_SVG).catch(() => undefined);
}
