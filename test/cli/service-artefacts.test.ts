import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/repo-root.js';
import { buildServices } from '../../infra/service-bundle.js';

const run = promisify(execFile);
const EMULATORS = ['dynalite', 'kinesalite', 's3rver'];

/** The npm packages an output loads when it starts: its own static imports and those of the chunks it statically imports. */
function packagesLoadedAtStart(metafile: Metafile, entryOutput: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const imported of metafile.outputs[output]?.imports ?? []) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external) packages.add(imported.path.split('/')[0] ?? imported.path);
      else visit(imported.path);
    }
  };
  visit(entryOutput);
  return packages;
}

// The Fargate image's build (Dockerfile → npm run build:services), run under plain node. The output sits
// in the repo's .tmp/ because npm packages stay external and resolve from the image's node_modules.
describe('the bot and command-line services as the Fargate image builds them', () => {
  let dir: string | undefined;
  let metafile: Metafile;
  const built = () => {
    if (dir === undefined) throw new Error('the services were not built (see beforeAll)');
    return dir;
  };
  const entry = (name: string) =>
    Object.keys(metafile.outputs).find((output) => output.endsWith(`/${name}.mjs`)) ?? name;

  beforeAll(async () => {
    await mkdir(join(REPO_ROOT, '.tmp'), { recursive: true });
    dir = await mkdtemp(join(REPO_ROOT, '.tmp', 'services-'));
    metafile = await buildServices(dir);
  }, 120_000);
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('loads none of the embedded stack’s emulators when the bot or the feed starts, and keeps them for the local stack', () => {
    for (const name of ['bot', 'stockalert']) {
      const loaded = packagesLoadedAtStart(metafile, entry(name));
      expect(loaded.has('@aws-sdk'), `${name} loads the AWS SDK`).toBe(true);
      for (const emulator of EMULATORS) expect(loaded.has(emulator), `${name} loads ${emulator}`).toBe(false);
    }
    const lazily = Object.values(metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
    expect(lazily).toEqual(expect.arrayContaining(EMULATORS));
  });

  it('runs `stockalert --help` under plain node and lists the feed command', async () => {
    const { stdout } = await run(process.execPath, [join(built(), 'stockalert.mjs'), '--help'], {
      cwd: built(),
    });
    expect(stdout).toMatch(/^\s+feed\b/m);
    expect(stdout).toMatch(/^\s+produce\b/m);
  });

  it('stops `feed alpaca` without keys before starting anything, saying which variables to set', async () => {
    const env = { ...process.env };
    delete env.ALPACA_API_KEY_ID;
    delete env.ALPACA_API_SECRET_KEY;
    const failed = await run(process.execPath, [join(built(), 'stockalert.mjs'), 'feed', 'alpaca'], {
      cwd: built(),
      env: { ...env, STOCKALERT_DATA_DIR: join(built(), 'data') },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY');
    expect(failed?.stderr).not.toContain('using embedded AWS');
  });
});
