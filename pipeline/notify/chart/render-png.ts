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
