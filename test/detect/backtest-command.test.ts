import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOUR_BAR_FILE, haveDataFile } from '../oracle/market-data-files.js';

const run = promisify(execFile);

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function backtest(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'cli/stockalert.ts', 'backtest', ...args],
      { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const T0 = Date.parse('2024-03-05T15:00:00Z');

describe('stockalert backtest', () => {
  let ticks: string;

  beforeAll(async () => {
    // 100 → a lone 97 print (an off-market print) → back at 100, then a real, gradual 3% fall.
    const prices = [100, 100.01, 97, 100, 100.02, 99.5, 99, 98.5, 98, 97.6, 97.1, 96.9];
    const rows = prices.map((price, i) => `BAC,${new Date(T0 + i * 10_000).toISOString()},${price},100`);
    const dir = await mkdtemp(join(tmpdir(), 'stockalert-backtest-'));
    ticks = join(dir, 'ticks.csv');
    await writeFile(ticks, `symbol,timestamp,price,size\n${rows.join('\n')}\n`);
  });

  it('prints one JSON line per alert with the defined fields, and the summary on stderr', async () => {
    const result = await backtest('--data', ticks, '--watch', 'BAC:2.5:5m:down', '--json');

    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    // The fall is measured from 100.02; the dropped 97 print never enters the window.
    expect(lines).toEqual([
      {
        symbol: 'BAC',
        window: '5m',
        direction: 'down',
        thresholdPct: 2.5,
        level: 1,
        movePct: Number((((100.02 - 97.1) / 100.02) * 100).toFixed(4)),
        fromPrice: 100.02,
        fromTs: new Date(T0 + 40_000).toISOString(),
        toPrice: 97.1,
        toTs: new Date(T0 + 100_000).toISOString(),
      },
    ]);
    expect(result.stderr).toMatch(
      /^1 alert for 1 watch over 12 trades of BAC .*bad-tick filter on, 1 prints dropped/m,
    );
  });

  it('alerts on the off-market print too with --no-tick-filter, in a readable table', async () => {
    const result = await backtest('--data', ticks, '--watch', 'BAC:2.5:5m:down', '--no-tick-filter');

    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^toTs \(UTC\)\s+symbol\s+window/);
    expect(lines.slice(1, -1)).toHaveLength(2);
    expect(lines[1]).toContain('100.01');
    expect(lines[1]).toMatch(/→ 97$/);
    expect(lines.at(-1)).toMatch(/^2 alerts for 1 watch over 12 trades .*bad-tick filter off/);
  });

  it('says what to write instead of a bad --watch, and reads nothing', async () => {
    const result = await backtest('--data', ticks, '--watch', 'BAC:3:2m');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('window "2m" is not one of 1m, 5m, 15m, 1h, 1d');
    expect(result.stdout).toBe('');
  });

  it('refuses a missing file with a clear message', async () => {
    const result = await backtest('--data', '/nonexistent/trades.csv', '--watch', 'BAC:3:15m');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/nonexistent/trades.csv: no such file');
  });

  describe.skipIf(!haveDataFile(HOUR_BAR_FILE, 'the backtest replay of the hourly bars'))(
    'on the hourly bars',
    () => {
      it('finds the flash crash and the AIG rebound with the filter on', async () => {
        const result = await backtest(
          '--data',
          HOUR_BAR_FILE,
          '--bar-length',
          '1h',
          '--watch',
          'SPY:5:1h:down',
          '--watch',
          'AIG:20%:1h:up',
          '--json',
        );

        expect(result.code).toBe(0);
        const alerts = result.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line));
        expect(alerts).toContainEqual({
          symbol: 'SPY',
          window: '1h',
          direction: 'down',
          thresholdPct: 5,
          level: 1,
          movePct: expect.closeTo(7.5925, 3),
          fromPrice: 114.85,
          fromTs: '2010-05-06T18:20:00.000Z',
          toPrice: 106.13,
          toTs: '2010-05-06T18:40:00.000Z',
        });
        expect(
          alerts.filter((a) => a.symbol === 'AIG' && a.toTs.startsWith('2008-09-16')).length,
        ).toBeGreaterThanOrEqual(1);
        expect(result.stderr).toMatch(/alerts for 2 watches over [\d,]+ trades of SPY, AIG/);
      });
    },
  );
});
