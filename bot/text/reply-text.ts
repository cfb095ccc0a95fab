import type { Direction, MarketHours, Watch } from '../../shared/domain/watch.js';
import { MAX_THRESHOLD_PCT, MIN_THRESHOLD_PCT } from '../../shared/domain/watch.js';
import { describeWindow, WINDOWS } from '../../shared/domain/window.js';
import type { LastPrice } from '../../shared/ports/quote-lookup.js';
import type { CommandName, UnwatchTarget } from '../core/command.js';
import type { CommandError } from '../core/command-error.js';
import type { CommandNotice, CommandResult, WatchlistResult } from '../core/command-result.js';
import {
  digestExample,
  renderDigestAnswer,
  renderDigestError,
  unreachableText,
} from './digest-reply-text.js';
import type { ReplyDialect } from './reply-dialect.js';

const WINDOW_LIST = WINDOWS.join(', ');

/**
 * The one function from a command outcome (including every error code) to reply text; `dialect` says how
 * the platform spells commands and sets tables.
 */
export function renderReply(result: CommandResult, dialect: ReplyDialect): string {
  const notices = (result.notices ?? []).map(renderNotice);
  return [renderAnswer(result, dialect), ...notices].join('\n\n');
}

function renderNotice(notice: CommandNotice): string {
  if (notice.kind === 'digest-unreachable') return unreachableText(notice.code, notice.at);
  const when = new Date(notice.at).toISOString().slice(0, 16).replace('T', ' ');
  return (
    `📪 An alert could not reach you by direct message (${when} UTC, platform code ${notice.code}). ` +
    'Allow direct messages from StockAlert (on Discord: Privacy Settings → Direct Messages for this server; ' +
    'on Slack: make sure the app is not blocked), or your alerts will keep missing you.'
  );
}

function renderAnswer(result: CommandResult, dialect: ReplyDialect): string {
  switch (result.kind) {
    case 'watched': {
      const verb = result.previous === undefined ? '✅ Watching' : '✅ Updated';
      const note = result.noTradesYet
        ? ` Note: no trades of ${result.watch.symbol} have been seen yet — check the symbol if that is unexpected.`
        : '';
      return `${verb} ${result.watch.symbol} ${result.watch.window}: ${describeRule(result.watch)}.${note}`;
    }
    case 'unwatched':
      return describeRemoval(result.target, result.removed);
    case 'watchlist':
      return renderWatchlist(result, dialect);
    case 'help':
      return [
        'Commands:',
        ...dialect.helpLines({
          maxWatchesPerUser: result.maxWatchesPerUser,
          minThresholdPct: MIN_THRESHOLD_PCT,
          maxThresholdPct: MAX_THRESHOLD_PCT,
          windows: WINDOW_LIST,
        }),
      ].join('\n');
    case 'digest-settings':
    case 'digest-on':
    case 'digest-off':
    case 'digest-posted':
      return renderDigestAnswer(result, dialect);
    case 'rejected':
      return `⚠️ ${renderError(result.error, dialect)}`;
  }
}

/** Error text says what went wrong with the user's own input, then what to type instead. */
function renderError(error: CommandError, d: ReplyDialect): string {
  const watchExample = d.watch('BAC', '3%', '15m');
  const unwatchExample = d.unwatch('BAC', '15m');
  switch (error.code) {
    case 'unknown-command':
      return `"/${error.name.replace(/^\//, '')}" is not a command. Type ${d.command('help')} to see the commands — for example ${watchExample}`;
    case 'missing-symbol':
      return error.command === 'watch'
        ? `Which stock? Put its symbol after ${d.command('watch')} — for example ${watchExample}`
        : `Which stock? Put its symbol after ${d.command('unwatch')} — for example ${unwatchExample}, or ${d.unwatch('all')}`;
    case 'bad-symbol':
      return `"${error.token}" is not a stock symbol. Symbols are 1–10 letters, digits, "." or "-", starting with a letter${error.command === 'digest' ? '' : ', and come first'} — for example ${symbolExample(error.command, d)}`;
    case 'non-ascii-symbol':
      return `"${error.token}" has "${error.character}", which is not a plain letter: type the symbol with A–Z, 0–9, "." or "-" only (like BAC or BRK.B) — for example ${symbolExample(error.command, d)}`;
    case 'bad-threshold':
      return `"${error.token}" is not a threshold. Use a percentage such as 3% or 2.5% — for example ${watchExample}`;
    case 'threshold-out-of-range':
      return error.value < 0
        ? `"${error.token}" is out of range: the threshold is a size, from ${error.min}% to ${error.max}%. For falls only, add "down" — for example ${d.watch('BAC', '3%', '15m', 'down')}`
        : `"${error.token}" is out of range. Use a threshold from ${error.min}% to ${error.max}% — for example ${watchExample}`;
    case 'bad-window':
      return `"${error.token}" is not a window. Use one of ${WINDOW_LIST} — for example ${error.command === 'watch' ? watchExample : unwatchExample}`;
    case 'unknown-argument':
      return `"${error.token}" is not something ${d.command(error.command)} understands. ${usageOf(error.command, d)}`;
    case 'duplicate-argument':
      return `"${error.token}" is a second ${error.kind}. Give each of threshold, window, direction and hours at most once — for example ${d.watchFull}`;
    case 'watchlist-full':
      return `Your watchlist is full (${error.limit} watches), so ${error.symbol} ${error.window} was not added. Remove one first with ${d.unwatch('SYMBOL')} — type ${d.command('watchlist')} to see them.`;
    case 'not-watching':
      return describeNotWatching(error.target, d);
    case 'bad-digest-action':
    case 'bad-digest-time':
    case 'too-many-digest-symbols':
    case 'digest-in-dm':
    case 'digest-not-allowed':
    case 'no-digest':
    case 'digest-unavailable':
      return renderDigestError(error, d);
  }
}

function usageOf(command: CommandName, d: ReplyDialect): string {
  switch (command) {
    case 'watch':
      return `After the symbol it takes: a threshold (3%), a window (${WINDOW_LIST}), a direction (up, down, both) and hours (all, regular) — for example ${d.watchFull}`;
    case 'unwatch':
      return `It takes a symbol and optionally a window — for example ${d.unwatch('BAC', '15m')}, ${d.unwatch('BAC')} or ${d.unwatch('all')}`;
    case 'watchlist':
      return `Type ${d.command('watchlist')} on its own.`;
    case 'help':
      return `Type ${d.command('help')} on its own.`;
    case 'digest':
      return `It takes on [hourly | daily HH:MM] [SYMBOL ...], off or now, or nothing to show the settings — for example ${digestExample(d)}`;
  }
}

function describeNotWatching(target: UnwatchTarget, d: ReplyDialect): string {
  if (target.kind === 'all')
    return `Your watchlist is already empty. Add a stock with ${d.watch('BAC', '3%', '15m')}`;
  const what = target.window === undefined ? target.symbol : `${target.symbol} ${target.window}`;
  // `/unwatch ALL` is the Allstate ticker; someone who meant to clear the list needs to hear how.
  const clearHint =
    target.symbol === 'ALL' ? ` To clear your whole list, type ${d.unwatch('all')} in lower case.` : '';
  return `You are not watching ${what}. Type ${d.command('watchlist')} to see what you watch.${clearHint}`;
}

function describeRemoval(target: UnwatchTarget, removed: readonly Watch[]): string {
  if (target.kind === 'all') {
    return `🗑️ Cleared your watchlist (${removed.length} ${removed.length === 1 ? 'watch' : 'watches'} removed).`;
  }
  const windows = removed.map((watch) => watch.window).join(', ');
  return `🗑️ Stopped watching ${target.symbol} (${windows}).`;
}

function describeRule(watch: Watch): string {
  return `alert when it ${describeDirection(watch.direction)} ${formatPct(watch.thresholdPct)} within ${describeWindow(watch.window)}, ${describeHours(watch.hours)}`;
}

function describeDirection(direction: Direction): string {
  switch (direction) {
    case 'up':
      return 'rises';
    case 'down':
      return 'falls';
    case 'both':
      return 'rises or falls';
  }
}

function describeHours(hours: MarketHours): string {
  return hours === 'all' ? 'at any hour the market trades' : 'in regular hours only';
}

function renderWatchlist(result: WatchlistResult, d: ReplyDialect): string {
  const { entries, maxWatchesPerUser: limit } = result;
  if (entries.length === 0) return `Your watchlist is empty. Add a stock with ${d.watch('BAC', '3%', '15m')}`;
  const total = result.total ?? entries.length;
  const page = result.page ?? 1;
  const pageCount = result.pageCount ?? 1;
  const rows = entries.map(({ watch, lastPrice, live }) => [
    watch.symbol,
    formatPct(watch.thresholdPct),
    watch.window,
    watch.direction,
    watch.hours === 'all' ? 'all hours' : 'regular hours',
    lastPrice === undefined ? '' : formatPrice(lastPrice),
    live === undefined ? '' : live === 'trades' ? 'live: trades' : 'live: minute bars',
  ]);
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  if (pageCount === 1) return `📋 Your watchlist (${total} of ${limit}):\n${d.table(lines)}`;
  const next =
    page < pageCount
      ? `Type ${d.watchlistPage(page + 1)} for the next page.`
      : `Type ${d.watchlistPage(1)} for the first page.`;
  return `📋 Your watchlist (${total} of ${limit}), page ${page} of ${pageCount}:\n${d.table(lines)}\n${next}`;
}

/** `3%`, `2.5%`: no trailing zeros, and no float noise such as 0.30000000000000004. */
export function formatPct(value: number): string {
  return `${Number(value.toFixed(4))}%`;
}

function formatPrice({ price, dayChangePct }: LastPrice): string {
  const amount = price.toFixed(price < 1 ? 4 : 2);
  if (dayChangePct === undefined) return amount;
  const sign = dayChangePct > 0 ? '+' : '';
  return `${amount} (${sign}${dayChangePct.toFixed(2)}% today)`;
}

/** An example of the command whose symbol was refused. */
function symbolExample(command: 'watch' | 'unwatch' | 'digest', d: ReplyDialect): string {
  if (command === 'watch') return d.watch('BAC', '3%', '15m');
  return command === 'unwatch' ? d.unwatch('BAC', '15m') : digestExample(d);
}
