import { type Command, InvalidArgumentError } from 'commander';
import { runBacktest } from '../../pipeline/detect/backtest.js';
import { parseWatchSpec } from '../../pipeline/detect/watch-spec.js';
import {
  openFileLines,
  parseBarLength,
  parseColumnsOption,
  readMarketData,
} from '../../pipeline/market-data/index.js';
import { createTimestampReader } from '../../pipeline/market-data/timestamp-reader.js';
import type { Alert } from '../../shared/domain/alert.js';
import { marketSessionAt } from '../../shared/domain/market-session.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { RegisterCommand } from './index.js';
import { MAX_LINE_BYTES_FLAG, MAX_LINE_BYTES_HELP, parseMaxLineBytes } from './max-line-bytes-option.js';

interface BacktestFlags {
  readonly data: string;
  readonly barLength?: string;
  readonly columns?: string;
  readonly timezone: string;
  readonly maxLineBytes?: number;
  readonly tickFilter: boolean;
  readonly watch: Watch[];
  readonly json?: boolean;
}

/** `stockalert backtest --data <file> --watch BAC:3:15m …`: the detector over history, without AWS. */
export const registerBacktest: RegisterCommand = (program: Command) => {
  program
    .command('backtest')
    .description(
      'Run the detector over a market-data file (ticks or OHLCV bars, CSV or NDJSON, plain or gzip) and ' +
        'print the alerts your watches would have sent. No AWS involved: use it to tune thresholds on history.',
    )
    .requiredOption('--data <file>', 'local market-data file')
    .requiredOption(
      '--watch <spec>',
      'SYMBOL:THRESHOLD:WINDOW[:DIRECTION], e.g. BAC:3:15m or SPY:5%:1h:down (repeatable)',
      collectWatch,
      [],
    )
    .option('--bar-length <length>', 'length of each OHLCV bar: 1m, 1h, 1d (required for bar files)')
    .option('--columns <map>', 'header names the detection misses, e.g. symbol=Name,timestamp=date')
    .option('--timezone <zone>', 'IANA zone of naive timestamps', 'America/New_York')
    .option(MAX_LINE_BYTES_FLAG, MAX_LINE_BYTES_HELP, parseMaxLineBytes)
    .option('--no-tick-filter', 'take every print at face value (the bad-tick filter is on by default)')
    .option('--json', 'one JSON object per alert per line (the summary goes to stderr)')
    .action(async (flags: BacktestFlags) => {
      process.exitCode = await backtest(flags);
    });
};

function collectWatch(text: string, previous: Watch[]): Watch[] {
  const parsed = parseWatchSpec(text);
  if ('error' in parsed) throw new InvalidArgumentError(parsed.error);
  return [...previous, parsed.watch];
}

async function backtest(flags: BacktestFlags): Promise<number> {
  // Bad options fail before the file is opened.
  createTimestampReader(flags.timezone);
  if (flags.barLength !== undefined) parseBarLength(flags.barLength);
  const options = {
    timezone: flags.timezone,
    ...(flags.barLength !== undefined && { barLength: flags.barLength }),
    ...(flags.columns !== undefined && { columns: parseColumnsOption(flags.columns) }),
    ...(flags.maxLineBytes !== undefined && { maxLineBytes: flags.maxLineBytes }),
  };
  const source = await openFileLines(flags.data, options);
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const err = (text: string) => process.stderr.write(`${text}\n`);
  const abort = new AbortController();
  const onSignal = () => {
    err('stopping: summarising what was read so far (Ctrl-C again to quit at once)…');
    process.once('SIGINT', () => process.exit(130));
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  const progress = setInterval(() => {
    if (!process.stderr.isTTY || source.totalBytes === undefined) return;
    const pct = Math.min(100, (source.bytesRead() / source.totalBytes) * 100);
    process.stderr.write(`\rreading ${flags.data}: ${pct.toFixed(0)}%`);
  }, 500);
  let rejectsShown = 0;
  if (!flags.json) out(TABLE_HEADER);
  try {
    const summary = await runBacktest(readMarketData(source.batches, options), {
      watches: flags.watch,
      tickFilter: flags.tickFilter,
      signal: abort.signal,
      onAlert: (alert) => out(flags.json ? JSON.stringify(alertJson(alert)) : alertRow(alert)),
      onReject: (reject) => {
        rejectsShown += 1;
        if (rejectsShown <= 5) err(`line ${reject.line} skipped: ${reject.reason}`);
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    const symbols = [...new Set(flags.watch.map((w) => w.symbol))].join(', ');
    const span =
      summary.firstTs === undefined
        ? 'no trades'
        : `${iso(summary.firstTs)} to ${iso(summary.lastTs ?? summary.firstTs)}`;
    const line =
      `${summary.alerts} alert${summary.alerts === 1 ? '' : 's'} for ${flags.watch.length} watch${flags.watch.length === 1 ? '' : 'es'} ` +
      `over ${summary.watchedTrades.toLocaleString('en-US')} trades of ${symbols} ` +
      `(${summary.trades.toLocaleString('en-US')} read, ${span}); ` +
      `bad-tick filter ${flags.tickFilter ? `on, ${summary.badTicksDropped} prints dropped` : 'off'}; ` +
      `${summary.rejectedRows} rows rejected${summary.stopped ? '; stopped early' : ''}`;
    if (flags.json) err(line);
    else out(line);
    if (summary.watchedTrades === 0)
      err(`no trades of ${symbols} in ${flags.data}: check the symbols of your --watch`);
    return summary.stopped ? 130 : 0;
  } finally {
    clearInterval(progress);
    process.removeListener('SIGINT', onSignal);
  }
}

const TABLE_HEADER = [
  'toTs (UTC)'.padEnd(24),
  'symbol'.padEnd(6),
  'window',
  'dir '.padEnd(4),
  'θ%'.padStart(5),
  'lvl',
  'move%'.padStart(7),
  'from → to',
].join('  ');

function alertRow(alert: Alert): string {
  const session = marketSessionAt(alert.toTs);
  const note = session === 'pre-market' ? '  pre-market' : session === 'after-hours' ? '  after hours' : '';
  return [
    iso(alert.toTs).padEnd(24),
    alert.symbol.padEnd(6),
    alert.window.padEnd(6),
    alert.direction.padEnd(4),
    String(alert.thresholdPct).padStart(5),
    String(alert.level).padStart(3),
    alert.movePct.toFixed(2).padStart(7),
    `${alert.fromPrice} (${iso(alert.fromTs).slice(11, 19)}) → ${alert.toPrice}${note}`,
  ].join('  ');
}

/** The fields the issue defines for `--json`, timestamps as ISO-8601 UTC. */
export function alertJson(alert: Alert) {
  return {
    symbol: alert.symbol,
    window: alert.window,
    direction: alert.direction,
    thresholdPct: alert.thresholdPct,
    level: alert.level,
    movePct: Number(alert.movePct.toFixed(4)),
    fromPrice: alert.fromPrice,
    fromTs: iso(alert.fromTs),
    toPrice: alert.toPrice,
    toTs: iso(alert.toTs),
  };
}

function iso(ts: number): string {
  return new Date(ts).toISOString();
}
