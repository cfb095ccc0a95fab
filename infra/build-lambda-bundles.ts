import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { LAMBDA_BUNDLES, LAMBDA_ESBUILD, type LambdaBundle, NEVER_BUNDLED } from './lambda-bundles.js';

export interface BuiltBundle {
  readonly id: LambdaBundle['id'];
  /** The folder Lambda would get: `index.mjs`, its source map, and `assets/`. */
  readonly dir: string;
  readonly file: string;
  readonly bytes: number;
  /** Every module esbuild put in the bundle, for the checks on what must never be in one. */
  readonly inputs: readonly string[];
}

/** A bundle that carries a module that must never reach Lambda (an emulator). */
export class ForbiddenModuleError extends Error {
  override readonly name = 'ForbiddenModuleError';
}

const require = createRequire(import.meta.url);

/**
 * Builds each Lambda from its one definition in `lambda-bundles.ts` (what the CDK app's
 * NodejsFunction bundling uses too) into `<outDir>/<id>/index.mjs`, copies its assets into
 * `<outDir>/<id>/assets/`, and writes esbuild's metafile beside it. Fails when an emulator got in.
 */
export async function buildLambdaBundles(options: {
  readonly outDir: string;
  readonly root?: string;
  readonly only?: readonly string[];
}): Promise<BuiltBundle[]> {
  const root = resolve(options.root ?? '.');
  const bundles = LAMBDA_BUNDLES.filter(
    (bundle) => options.only === undefined || options.only.includes(bundle.id),
  );
  const built: BuiltBundle[] = [];
  for (const bundle of bundles) built.push(await buildOne(bundle, root, resolve(options.outDir)));
  return built;
}

async function buildOne(bundle: LambdaBundle, root: string, outDir: string): Promise<BuiltBundle> {
  const dir = join(outDir, bundle.id);
  await rm(dir, { recursive: true, force: true });
  const file = join(dir, `index${LAMBDA_ESBUILD.outExtension}`);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, bundle.entry)],
    outfile: file,
    bundle: true,
    platform: LAMBDA_ESBUILD.platform,
    format: LAMBDA_ESBUILD.format,
    target: LAMBDA_ESBUILD.target,
    minify: LAMBDA_ESBUILD.minify,
    sourcemap: LAMBDA_ESBUILD.sourcemap,
    banner: { js: LAMBDA_ESBUILD.banner },
    external: [...LAMBDA_ESBUILD.external],
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const forbidden = inputs.filter((input) => NEVER_BUNDLED.some((name) => isModule(input, name)));
  if (forbidden.length > 0) {
    throw new ForbiddenModuleError(
      `the ${bundle.id} bundle carries an emulator (${forbidden.slice(0, 3).join(', ')}): ` +
        'import the embedded stack lazily (await import) where it is started, never from Lambda code',
    );
  }
  await writeFile(join(dir, 'meta.json'), JSON.stringify(result.metafile));
  if (bundle.assets.length > 0) await mkdir(join(dir, 'assets'), { recursive: true });
  for (const asset of bundle.assets) {
    await copyFile(require.resolve(asset.packagePath, { paths: [root] }), join(dir, 'assets', asset.name));
  }
  return { id: bundle.id, dir, file, bytes: outputBytes(result.metafile), inputs };
}

/** Whether a metafile input path belongs to the package `name`. */
export function isModule(input: string, name: string): boolean {
  return input.includes(`node_modules/${name}/`);
}

function outputBytes(metafile: Metafile): number {
  return Object.entries(metafile.outputs)
    .filter(([path]) => !path.endsWith('.map'))
    .reduce((sum, [, output]) => sum + output.bytes, 0);
}
