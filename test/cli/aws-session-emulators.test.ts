import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function emulatorsLoadedBy(kind: 'aws' | 'embedded'): Promise<string[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'stockalert-session-'));
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/loaded-emulators-probe.ts', kind, dataDir],
      { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, timeout: 60_000 },
    );
    return JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as string[];
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('the emulators are loaded only for the embedded stack', () => {
  it('loads none of dynalite, kinesalite or s3rver for a session against AWS (npm run bot on Fargate)', async () => {
    expect(await emulatorsLoadedBy('aws')).toEqual([]);
  });

  it('loads all three when it starts the embedded stack', async () => {
    expect(await emulatorsLoadedBy('embedded')).toEqual(['dynalite', 'kinesalite', 's3rver']);
  });
});
