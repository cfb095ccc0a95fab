import type { Direction, MarketHours, Watch } from '../../shared/domain/watch.js';
import { MAX_THRESHOLD_PCT, MIN_THRESHOLD_PCT } from '../../shared/domain/watch.js';
import { describeWindow, WINDOWS } from '../../shared/domain/window.js';
import type { LastPrice } from '../../shared/ports/quote-lookup.js';
import type { CommandName, UnwatchTarget } from '../core/command.js';
import type { CommandError } from '../core/command-error.js';
import type { CommandResult, WatchlistEntry } from '../core/command-result.js';

const WATCH_EXAMPLE = '/watch BAC 3% 15m';
const UNWATCH_EXAMPLE = '/unwatch BAC 15m';
const WINDOW_LIST = WINDOWS.join(', ');

/** The console's one function from a command outcome (including every error code) to the reply text. */
export function renderConsoleReply(result: CommandResult): string {
  switch (result.kind) {
    case 'watched':
      return `${result.previous === undefined ? '✅ Watching' : '✅ Updated'} ${result.watch.symbol} ${result.watch.window}: ${describeRule(result.watch)}.`;
    case 'unwatched':
      return describeRemoval(result.target, result.removed);
    case 'watchlist':
      return renderWatchlist(result.entries, result.maxWatchesPerUser);
    case 'help':
      return renderHelp(result.maxWatchesPerUser);
    case 'rejected':
      return `⚠️ ${renderError(result.error)}`;
  }
}

/** Error text says what went wrong with the user's own input, then what to type instead. */
function renderError(error: CommandError): string {
  switch (error.code) {
    case 'unknown-command':
      return `"/${error.name.replace(/^\//, '')}" is not a command. Type /help to see the commands — for example ${WATCH_EXAMPLE}`;
    case 'missing-symbol':
      return error.command === 'watch'
        ? `Which stock? Put its symbol after /watch — for example ${WATCH_EXAMPLE}`
        : `Which stock? Put its symbol after /unwatch — for example ${UNWATCH_EXAMPLE}, or /unwatch all`;
    case 'bad-symbol':
      return `"${error.token}" is not a stock symbol. Symbols are 1–10 letters, digits, "." or "-", starting with a letter, and come first — for example ${error.command === 'watch' ? WATCH_EXAMPLE : UNWATCH_EXAMPLE}`;
    case 'bad-threshold':
      return `"${error.token}" is not a threshold. Use a percentage such as 3% or 2.5% — for example ${WATCH_EXAMPLE}`;
    case 'threshold-out-of-range':
      return error.value < 0
        ? `"${error.token}" is out of range: the threshold is a size, from ${error.min}% to ${error.max}%. For falls only, add "down" — for example /watch BAC 3% 15m down`
        : `"${error.token}" is out of range. Use a threshold from ${error.min}% to ${error.max}% — for example ${WATCH_EXAMPLE}`;
    case 'bad-window':
      return `"${error.token}" is not a window. Use one of ${WINDOW_LIST} — for example ${error.command === 'watch' ? WATCH_EXAMPLE : UNWATCH_EXAMPLE}`;
    case 'unknown-argument':
      return `"${error.token}" is not something /${error.command} understands. ${usageOf(error.command)}`;
    case 'duplicate-argument':
      return `"${error.token}" is a second ${error.kind}. Give each of threshold, window, direction and hours at most once — for example /watch BAC 3% 15m down regular`;
    case 'watchlist-full':
      return `Your watchlist is full (${error.limit} watches), so ${error.symbol} ${error.window} was not added. Remove one first with /unwatch SYMBOL — type /watchlist to see them.`;
    case 'not-watching':
      return describeNotWatching(error.target);
  }
}

function usageOf(command: CommandName): string {
  switch (command) {
    case 'watch':
      return `After the symbol it takes, in any order: a threshold (3%), a window (${WINDOW_LIST}), a direction (up, down, both) and hours (all, regular) — for example /watch BAC 3% 15m down regular`;
    case 'unwatch':
      return `It takes a symbol and optionally a window — for example ${UNWATCH_EXAMPLE}, /unwatch BAC or /unwatch all`;
    case 'watchlist':
      return 'Type /watchlist on its own.';
    case 'help':
      return 'Type /help on its own.';
  }
}

function describeNotWatching(target: UnwatchTarget): string {
  if (target.kind === 'all') return `Your watchlist is already empty. Add a stock with ${WATCH_EXAMPLE}`;
  const what = target.window === undefined ? target.symbol : `${target.symbol} ${target.window}`;
  // `/unwatch ALL` is the Allstate ticker; someone who meant to clear the list needs to hear how.
  const clearHint =
    target.symbol === 'ALL' ? ' To clear your whole list, type /unwatch all in lower case.' : '';
  return `You are not watching ${what}. Type /watchlist to see what you watch.${clearHint}`;
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

function renderWatchlist(entries: readonly WatchlistEntry[], limit: number): string {
  if (entries.length === 0) return `Your watchlist is empty. Add a stock with ${WATCH_EXAMPLE}`;
  const rows = entries.map(({ watch, lastPrice }) => [
    watch.symbol,
    formatPct(watch.thresholdPct),
    watch.window,
    watch.direction,
    watch.hours === 'all' ? 'all hours' : 'regular hours',
    lastPrice === undefined ? '' : formatPrice(lastPrice),
  ]);
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return [`📋 Your watchlist (${entries.length} of ${limit}):`, ...lines.map((line) => `  ${line}`)].join(
    '\n',
  );
}

function renderHelp(maxWatchesPerUser: number): string {
  return [
    'Commands:',
    `  /watch SYMBOL [threshold] [window] [direction] [hours]   e.g. ${WATCH_EXAMPLE} or /watch TSLA 5% 1h down regular`,
    `      threshold ${MIN_THRESHOLD_PCT}%–${MAX_THRESHOLD_PCT}% (default 3%), window ${WINDOW_LIST} (default 15m),`,
    '      direction up, down or both (default both), hours all or regular (default all); any order after the symbol.',
    '      Watching the same symbol and window again updates that watch.',
    `  /unwatch SYMBOL [window]   e.g. ${UNWATCH_EXAMPLE}, or /unwatch BAC for every window`,
    '  /unwatch all               clear your watchlist',
    `  /watchlist                 list your watches (at most ${maxWatchesPerUser})`,
    '  /help                      this text',
  ].join('\n');
}

/** `3%`, `2.5%`: no trailing zeros, and no float noise such as 0.30000000000000004. */
function formatPct(value: number): string {
  return `${Number(value.toFixed(4))}%`;
}

function formatPrice({ price, dayChangePct }: LastPrice): string {
  const amount = price.toFixed(price < 1 ? 4 : 2);
  if (dayChangePct === undefined) return amount;
  const sign = dayChangePct > 0 ? '+' : '';
  return `${amount} (${sign}${dayChangePct.toFixed(2)}% today)`;
}
