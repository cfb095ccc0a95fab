import { setFlagsFromString } from 'node:v8';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { CHART_ASSETS, loadChartAsset } from './chart-assets.js';

let ready: Promise<Uint8Array[]> | undefined;

/**
 * Loads resvg's WebAssembly module and the bundled fonts once per process.
 *
 * The module is compiled by V8's optimising compiler from the first call (`--no-liftoff`). By default V8
 * first runs WebAssembly on its baseline compiler (Liftoff) and moves a function to optimised code only
 * once it has run enough: an alert chart then took 20–45 ms for its first 15–20 renders, and 6 ms after
 * (measured on Node 20; `npm run bench:charts`, "first renders"). A notifier renders a few charts per
 * crossing, so most of its charts ran on baseline code and held the event loop, and with it every other
 * DM of the burst, four times longer. The flag changes how WebAssembly compiled from now on is compiled
 * (resvg is the process's only module) and nothing else.
 */
function fontsReady(): Promise<Uint8Array[]> {
  if (ready === undefined) {
    setFlagsFromString('--no-liftoff');
    ready = initWasm(loadChartAsset(CHART_ASSETS.wasm)).then(() =>
      CHART_ASSETS.fonts.map((font) => new Uint8Array(loadChartAsset(font))),
    );
  }
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

/**
 * Loads the renderer now rather than on the first alert: compiling the WebAssembly module and the first
 * render of each kind of shape and text compile the functions they use (WebAssembly is compiled lazily,
 * function by function), about 0.8 s of the event loop that otherwise fell on the first batch's DMs
 * (docs/architecture.md, "System proof"). `svg` should draw what the real charts draw. A failure here is
 * left for the first chart to log.
 */
export async function warmChartRenderer(svg: string): Promise<void> {
  await renderPng(svg).catch(() => undefined);
}
