import { writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { DateTime } from 'luxon';
import { parseWatchSpec } from '../../pipeline/detect/watch-spec.js';
import type { Digest } from '../../pipeline/digest/digest.js';
import { renderDigestChart } from '../../pipeline/digest/digest-chart.js';
import { digestFromMarketData } from '../../pipeline/digest/digest-from-market-data.js';
import { digestPlainText } from '../../pipeline/digest/digest-text.js';
import {
  openFileLines,
  parseBarLength,
  parseColumnsOption,
  readMarketData,
} from '../../pipeline/market-data/index.js';
import { createTimestampReader } from '../../pipeline/market-data/timestamp-reader.js';
import { SYMBOL_PATTERN, type Watch } from '../../shared/domain/watch.js';
import type { RegisterCommand } from './index.js';

interface DigestFlags {
  readonly data: string;
  readonly barLength?: string;
  readonly columns?: string;
  readonly timezone: string;
  readonly from: string;
  readonly to: string;
  readonly symbols?: string[];
  readonly watch: Watch[];
  readonly tickFilter: boolean;
  readonly json?: boolean;
  readonly chart?: string;
}

/** `stockalert digest --data <file> --from … --to …`: the channel digest over any file, without AWS. */
export const registerDigest: RegisterCommand = (program: Command) => {
  program
    .command('digest')
    .description(
      'Build the channel digest (movers ranked by change, high, low, biggest hourly move, alerts) over a ' +
        'market-data file for a period, in process, and print it. No AWS involved.',
    )
    .requiredOption(
      '--data <file>',
      'local market-data file (ticks or OHLCV bars, CSV or NDJSON, plain or gzip)',
    )
    .requiredOption(
      '--from <iso>',
      'start of the period, e.g. 2010-05-06 or 2010-05-06T09:30 (in --timezone unless it has an offset)',
    )
    .requiredOption('--to <iso>', 'end of the period (exclusive), e.g. 2010-05-07')
    .option('--bar-length <length>', 'length of each OHLCV bar: 1m, 1h, 1d (required for bar files)')
    .option('--columns <map>', 'header names the detection misses, e.g. symbol=Name,timestamp=date')
    .option('--timezone <zone>', 'IANA zone of naive timestamps and of --from/--to', 'America/New_York')
    .option('--symbols <list>', 'only these symbols, comma-separated: AAPL,SPY', parseSymbols)
    .option(
      '--watch <spec>',
      'count the alerts of SYMBOL:THRESHOLD:WINDOW[:DIRECTION] as backtest does (repeatable)',
      collectWatch,
      [],
    )
    .option('--no-tick-filter', 'take every print at face value when counting alerts')
    .option('--json', 'one JSON object per symbol per line, ranked')
    .option('--chart <file.png>', 'also write the digest chart (PNG)')
    .action(async (flags: DigestFlags) => {
      process.exitCode = await digest(flags);
    });
};

function parseSymbols(text: string): string[] {
  const symbols = text
    .split(',')
    .map((symbol) => symbol.trim().toUpperCase())
    .filter((symbol) => symbol !== '');
  const bad = symbols.find((symbol) => !SYMBOL_PATTERN.test(symbol));
  if (bad !== undefined || symbols.length === 0) {
    throw new InvalidArgumentError(
      `"${bad ?? text}" is not a symbol list: write symbols separated by commas, like AAPL,SPY`,
    );
  }
  return symbols;
}

function collectWatch(text: string, previous: Watch[]): Watch[] {
  const parsed = parseWatchSpec(text);
  if ('error' in parsed) throw new InvalidArgumentError(parsed.error);
  return [...previous, parsed.watch];
}

/** `2010-05-06` or `2010-05-06T14:00` in `zone`; a string with its own offset keeps it. */
export function parseInstant(text: string, zone: string, flag: string): number {
  const parsed = DateTime.fromISO(text.trim(), { zone, setZone: true });
  if (!parsed.isValid) {
    throw new InvalidArgumentError(
      `${flag} "${text}" is not an ISO date or time: write 2010-05-06 or 2010-05-06T09:30 or 2010-05-06T13:30Z`,
    );
  }
  return parsed.toMillis();
}

async function digest(flags: DigestFlags): Promise<number> {
  createTimestampReader(flags.timezone);
  if (flags.barLength !== undefined) parseBarLength(flags.barLength);
  const fromTs = parseInstant(flags.from, flags.timezone, '--from');
  const toTs = parseInstant(flags.to, flags.timezone, '--to');
  if (toTs <= fromTs)
    throw new InvalidArgumentError(`--to (${flags.to}) must be after --from (${flags.from})`);
  const options = {
    timezone: flags.timezone,
    ...(flags.barLength !== undefined && { barLength: flags.barLength }),
    ...(flags.columns !== undefined && { columns: parseColumnsOption(flags.columns) }),
  };
  const source = await openFileLines(flags.data);
  let rejects = 0;
  const result = await digestFromMarketData(readMarketData(source.batches, options), {
    fromTs,
    toTs,
    ...(flags.symbols ? { symbols: flags.symbols } : {}),
    watches: flags.watch,
    tickFilter: flags.tickFilter,
    title: 'Movers',
    onReject: (reject) => {
      rejects += 1;
      if (rejects <= 5) process.stderr.write(`line ${reject.line} skipped: ${reject.reason}\n`);
    },
  });
  const out = (text: string) => process.stdout.write(`${text}\n`);
  if (flags.json) for (const line of digestJsonLines(result)) out(JSON.stringify(line));
  else out(digestPlainText(result));
  if (flags.chart !== undefined) {
    const chart = await renderDigestChart(result);
    if (chart === undefined) process.stderr.write('no chart written: no symbol traded in the period\n');
    else {
      await writeFile(flags.chart, chart.png);
      process.stderr.write(
        `chart written to ${flags.chart} (${chart.png.length.toLocaleString('en-US')} bytes)\n`,
      );
    }
  }
  if (result.rows.length === 0) process.stderr.write(`no trades in ${flags.data} between --from and --to\n`);
  return 0;
}

/** The fields the issue defines for `--json`; biggestMoveWindow is an ISO 8601 interval (start/duration) in ET. */
export function digestJsonLines(result: Digest) {
  return result.rows.map((row) => ({
    symbol: row.symbol,
    last: row.last,
    changePct: round(row.changePct),
    high: row.high,
    low: row.low,
    biggestMovePct: round(row.biggestMove.pct),
    biggestMoveWindow: `${DateTime.fromMillis(row.biggestMove.fromTs, { zone: 'America/New_York' }).toISO({ suppressMilliseconds: true })}/PT${row.biggestMove.lengthMs / 60_000}M`,
    ...(row.alerts === undefined ? {} : { alerts: row.alerts }),
  }));
}

function round(value: number): number {
  return Number(value.toFixed(4));
}
