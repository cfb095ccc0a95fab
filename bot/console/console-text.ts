import type { CommandResult } from '../core/command-result.js';
import type { ReplyDialect } from '../text/reply-dialect.js';
import { renderReply } from '../text/reply-text.js';

/** Commands typed as text, `/watch BAC 3% 15m`: the console's spelling, which Slack shares. */
export const TYPED_COMMAND_DIALECT: ReplyDialect = {
  watch: (symbol, ...rest) => ['/watch', symbol, ...rest].join(' '),
  watchFull: '/watch BAC 3% 15m down regular',
  unwatch: (target, window) => ['/unwatch', target, ...(window === undefined ? [] : [window])].join(' '),
  watchlistPage: (page) => `/watchlist ${page}`,
  command: (name) => `/${name}`,
  digest: (...words) => ['/digest', ...words].join(' '),
  table: (lines) => lines.map((line) => `  ${line}`).join('\n'),
  helpLines: ({ maxWatchesPerUser, minThresholdPct, maxThresholdPct, windows }) => [
    '  /watch SYMBOL [threshold] [window] [direction] [hours]   e.g. /watch BAC 3% 15m or /watch TSLA 5% 1h down regular',
    `      threshold ${minThresholdPct}%–${maxThresholdPct}% (default 3%), window ${windows} (default 15m),`,
    '      direction up, down or both (default both), hours all or regular (default all); any order after the symbol.',
    '      Watching the same symbol and window again updates that watch.',
    '  /unwatch SYMBOL [window]   e.g. /unwatch BAC 15m, or /unwatch BAC for every window',
    '  /unwatch all               clear your watchlist',
    `  /watchlist [page]          list your watches (at most ${maxWatchesPerUser}), a page at a time`,
    "  /digest [on [hourly | daily HH:MM] [SYMBOL ...] | off | now]   a channel's digest of the movers (channel managers)",
    '  /help                      this text',
  ],
};

/** The console's reply text for a command outcome (including every error code). */
export function renderConsoleReply(result: CommandResult): string {
  return renderReply(result, TYPED_COMMAND_DIALECT);
}
