import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pngSize } from '../helpers/alerts.js';
import { HOUR_BAR_FILE, haveDataFile } from '../oracle/market-data-files.js';

const run = promisify(execFile);
const haveHourBars = haveDataFile(HOUR_BAR_FILE, 'the Flash Crash digest test');

async function digest(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'cli/stockalert.ts', 'digest', ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    maxBuffer: 10_000_000,
  });
}

describe('stockalert digest', () => {
  it('prints the ranked table for the listed symbols only, and refuses a bad period with what to write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stockalert-digest-'));
    const file = join(dir, 'bars.csv');
    const rows = [
      'AAPL,2010-05-06 14:00,251.27,251.51,199.25,243.01,1',
      'SPY,2010-05-06 14:00,114.71,114.85,106.13,111.80,1',
      'IBM,2010-05-06 14:00,127.00,127.25,116.03,123.00,1',
    ];
    await writeFile(file, `symbol,bar_start_et,open,high,low,close,volume\n${rows.join('\n')}\n`);
    const common = [
      '--data',
      file,
      '--bar-length',
      '1h',
      '--from',
      '2010-05-06T09:30',
      '--to',
      '2010-05-06T16:00',
    ];
    const table = await digest(...common, '--symbols', 'AAPL,SPY');
    expect(table.stdout.split('\n').slice(1, 4)).toEqual([
      'symbol    last  change    high     low  biggest move',
      'AAPL    243.01  −3.29%  251.51  199.25  −20.70% 14:00–15:00 ET',
      'SPY     111.80  −2.54%  114.85  106.13  −7.48% 14:00–15:00 ET',
    ]);
    await expect(
      digest(...common.slice(0, 4), '--from', 'yesterday', '--to', '2010-05-07'),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('--from "yesterday" is not an ISO date or time: write 2010-05-06'),
    });
  }, 60_000);
});

describe.skipIf(!haveHourBars)('stockalert digest over the real hourly bars', () => {
  it('shows the Flash Crash movers of 2010-05-06 with their real figures, ranked, with alerts and a chart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stockalert-digest-'));
    const chartFile = join(dir, 'flash-crash.png');
    const common = [
      '--data',
      HOUR_BAR_FILE,
      '--bar-length',
      '1h',
      '--from',
      '2010-05-06',
      '--to',
      '2010-05-07',
    ];
    const json = await digest(...common, '--json', '--watch', 'AAPL:5:1h:down', '--chart', chartFile);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    // Ranked by |change| over the day: VXX +8.8%, BAC −7.1%, AAPL −3.05%, SPY −3.02%, AIG −2.7%, IBM −2.0%.
    expect(rows.map((row) => row.symbol)).toEqual(['VXX', 'BAC', 'AAPL', 'SPY', 'AIG', 'IBM']);
    const bySymbol = Object.fromEntries(rows.map((row) => [row.symbol, row]));
    // The data README: the 14:00 bar, low against open: AAPL −20.7%, AIG −10.1%, IBM −8.6%, SPY −7.5%,
    // BAC −6.3%; VXX high +22%.
    const expected = { AAPL: -20.7, AIG: -10.1, IBM: -8.6, SPY: -7.5, BAC: -6.3, VXX: 22.3 };
    for (const [symbol, pct] of Object.entries(expected)) {
      expect(bySymbol[symbol].biggestMovePct).toBeCloseTo(pct, 1);
      expect(bySymbol[symbol].biggestMoveWindow).toBe('2010-05-06T14:00:00-04:00/PT60M');
    }
    expect(bySymbol.AAPL).toMatchObject({ last: 246.25, high: 258.23, low: 199.25 });
    expect(bySymbol.AAPL.changePct).toBeCloseTo(-3.05, 2);
    expect(bySymbol.AAPL.alerts).toBeGreaterThan(0);
    expect(bySymbol.IBM.alerts).toBe(0);
    expect(pngSize(await readFile(chartFile)).width).toBeGreaterThan(600);
  }, 120_000);
});
