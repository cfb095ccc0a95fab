import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The files the chart renderer needs at run time: resvg's WebAssembly module and the bundled
 * font (Inter, SIL Open Font Licence), so a chart looks the same on a laptop and on Lambda
 * and never depends on system fonts.
 *
 * A Lambda bundle cannot follow `require.resolve` into `node_modules`, so `npm run bundle`
 * copies every file listed here into an `assets/` folder beside the bundle, and the loader
 * looks there first.
 */
export const CHART_ASSETS = {
  wasm: { name: 'resvg.wasm', packagePath: '@resvg/resvg-wasm/index_bg.wasm' },
  fonts: [
    { name: 'Inter-Regular.ttf', packagePath: '@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf' },
    { name: 'Inter-SemiBold.ttf', packagePath: '@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf' },
  ],
} as const;

export interface ChartAsset {
  readonly name: string;
  readonly packagePath: string;
}

/** Every asset, for the bundler to copy. */
export function allChartAssets(): readonly ChartAsset[] {
  return [CHART_ASSETS.wasm, ...CHART_ASSETS.fonts];
}

/** The bytes of one asset: from `assets/` beside the running module (a bundle), else from `node_modules`. */
export function loadChartAsset(asset: ChartAsset): Buffer {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'assets', asset.name);
  if (existsSync(bundled)) return readFileSync(bundled);
  return readFileSync(createRequire(import.meta.url).resolve(asset.packagePath));
}
