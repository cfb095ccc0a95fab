import path from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { REPO_ROOT } from './repo-root.js';

/**
 * The long-lived services' build: the bot (`dist/bot.mjs`) and the command line (`dist/stockalert.mjs`,
 * whose `feed alpaca` is the live-feed task) as the Fargate image runs them (Dockerfile: `npm run
 * build:services`), with npm packages left external for the image's production `node_modules`.
 *
 * `splitting` keeps a dynamic `import()` lazy in the output. Without it esbuild hoists the imports of a
 * lazily loaded module's npm packages to the top of the entry, so the deployed bot and connector loaded
 * the embedded stack's emulators (dynalite, kinesalite, s3rver) they never start: 135 MB RSS for
 * `stockalert --help` against 110 MB with splitting (measured on x64, Node 20).
 */
export const SERVICE_BUILD: BuildOptions = {
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
};

export const SERVICE_ENTRIES = ['cli/bot.ts', 'cli/stockalert.ts'] as const;

/** Builds the services into `outDir` and returns esbuild's metafile (what each output imports). */
export async function buildServices(outDir: string): Promise<Metafile> {
  const result = await build({
    ...SERVICE_BUILD,
    entryPoints: SERVICE_ENTRIES.map((entry) => path.join(REPO_ROOT, entry)),
    outdir: outDir,
    metafile: true,
  });
  return result.metafile;
}
