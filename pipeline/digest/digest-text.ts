import { DateTime } from 'luxon';
import { DIGEST_TIMEZONE } from '../../shared/domain/digest-schedule.js';
import type { MarketClosure } from '../../shared/domain/market-calendar.js';
import type { BiggestMove, Digest, DigestRow } from './digest.js';
import type { DigestPeriod } from './digest-period.js';

/** Wording shared by every rendering of a digest (terminal, Slack, Discord, console). */

export function formatPrice(price: number): string {
  return price.toFixed(price < 1 ? 4 : 2);
}

export function formatSignedPct(value: number): string {
  return `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toFixed(2)}%`;
}

/** `14:00–15:00 ET`, with the date when the period spans days: `05-06 14:00–15:00 ET`. */
export function describeMoveWindow(move: BiggestMove, period: DigestPeriod): string {
  // The aligned window, clipped to the period: a digest up to 10:30 shows 10:00–10:30, not 10:00–11:00.
  const from = DateTime.fromMillis(Math.max(move.fromTs, period.fromTs), { zone: DIGEST_TIMEZONE });
  const to = DateTime.fromMillis(Math.min(move.fromTs + move.lengthMs, period.toTs), {
    zone: DIGEST_TIMEZONE,
  });
  const multiDay = period.toTs - period.fromTs > 24 * 3_600_000;
  return `${multiDay ? from.toFormat('MM-dd ') : ''}${from.toFormat('HH:mm')}–${to.toFormat('HH:mm')} ET`;
}

/** `Thu 2026-12-03 04:00–16:15 ET`. */
export function describePeriod(period: DigestPeriod): string {
  const from = DateTime.fromMillis(period.fromTs, { zone: DIGEST_TIMEZONE });
  const to = DateTime.fromMillis(period.toTs, { zone: DIGEST_TIMEZONE });
  const sameDay = from.toISODate() === to.toISODate();
  return sameDay
    ? `${from.toFormat('ccc yyyy-MM-dd HH:mm')}–${to.toFormat('HH:mm')} ET`
    : `${from.toFormat('yyyy-MM-dd HH:mm')} – ${to.toFormat('yyyy-MM-dd HH:mm')} ET`;
}

export function describeClosure(closure: MarketClosure): string {
  return closure.kind === 'weekend'
    ? `The market was closed (${closure.day} is a weekend day): no trading to report.`
    : `The market was closed for ${closure.name} (${closure.day}): no trading to report.`;
}

const HEADER = ['symbol', 'last', 'change', 'high', 'low', 'biggest move', 'alerts'];

/** Aligned table lines (header first) for a code block; `withAlerts` adds the alerts column. */
export function digestTableLines(digest: Digest, rows: readonly DigestRow[] = digest.rows): string[] {
  const withAlerts = rows.some((row) => row.alerts !== undefined);
  const header = withAlerts ? HEADER : HEADER.slice(0, -1);
  const cells = rows.map((row) => digestRowCells(row, digest.period, withAlerts));
  const table = [header, ...cells];
  const widths = header.map((_, column) => Math.max(...table.map((line) => line[column]?.length ?? 0)));
  return table.map((line) =>
    line
      .map((cell, column) =>
        column === 0 || column === 5 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

function digestRowCells(row: DigestRow, period: DigestPeriod, withAlerts: boolean): string[] {
  const cells = [
    row.symbol,
    formatPrice(row.last),
    formatSignedPct(row.changePct),
    formatPrice(row.high),
    formatPrice(row.low),
    `${formatSignedPct(row.biggestMove.pct)} ${describeMoveWindow(row.biggestMove, period)}`,
  ];
  if (withAlerts) cells.push(String(row.alerts ?? 0));
  return cells;
}

/** The lines under the table: quiet symbols. */
export function quietNote(digest: Digest): string | undefined {
  if (digest.quiet.length === 0) return undefined;
  return `No trades in the period: ${digest.quiet.join(', ')}.`;
}

/** The whole digest as plain text (terminal, console chat, notification fallback). */
export function digestPlainText(digest: Digest): string {
  const head = `${digest.title} — ${describePeriod(digest.period)}`;
  if (digest.period.closure && digest.rows.length === 0)
    return `${head}\n${describeClosure(digest.period.closure)}`;
  if (digest.rows.length === 0) return `${head}\nNo trades of the digest's symbols in this period.`;
  const quiet = quietNote(digest);
  return [head, ...digestTableLines(digest), ...(quiet ? [quiet] : [])].join('\n');
}
