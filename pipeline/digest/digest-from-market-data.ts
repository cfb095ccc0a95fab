import type { Watch } from '../../shared/domain/watch.js';
import { runBacktest } from '../detect/backtest.js';
import type { MarketRow, RejectedRow } from '../market-data/index.js';
import { MinuteBarCollector } from './bars-from-trades.js';
import { buildDigest } from './build-digest.js';
import type { Digest } from './digest.js';
import { customPeriod } from './digest-period.js';

export interface FileDigestOptions {
  readonly fromTs: number;
  readonly toTs: number;
  /** Only these symbols; default every symbol in the file. */
  readonly symbols?: readonly string[];
  /** With watches, the detector runs as in `backtest` and the digest counts their alerts. */
  readonly watches?: readonly Watch[];
  readonly tickFilter?: boolean;
  readonly title?: string;
  readonly onReject?: (reject: RejectedRow) => void;
}

/**
 * The digest builder over a market-data file's rows, in process: trades become minute bars, and with
 * watches the same detector as `backtest` counts the alerts in the period.
 */
export async function digestFromMarketData(
  rows: AsyncIterable<MarketRow>,
  options: FileDigestOptions,
): Promise<Digest> {
  const symbols = options.symbols === undefined ? undefined : new Set(options.symbols);
  const collector = new MinuteBarCollector(options.fromTs, options.toTs, symbols);
  const watches = options.watches ?? [];
  const alertCounts = new Map<string, number>();
  async function* collecting(): AsyncGenerator<MarketRow> {
    for await (const row of rows) {
      if ('trade' in row) collector.add(row.trade);
      yield row;
    }
  }
  await runBacktest(collecting(), {
    watches,
    tickFilter: options.tickFilter ?? true,
    onAlert: (alert) => {
      if (alert.toTs < options.fromTs || alert.toTs >= options.toTs) return;
      alertCounts.set(alert.symbol, (alertCounts.get(alert.symbol) ?? 0) + 1);
    },
    ...(options.onReject ? { onReject: options.onReject } : {}),
  });
  return buildDigest({
    title: options.title ?? 'Movers',
    period: customPeriod(options.fromTs, options.toTs),
    bars: collector.result(),
    ...(watches.length > 0 ? { alertCounts } : {}),
  });
}
