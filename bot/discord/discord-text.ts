import { DISCORD_LIMITS } from '../../shared/domain/platform-limits.js';
import { FENCE, splitMessage } from '../../shared/domain/split-text.js';
import type { CommandResult } from '../core/command-result.js';
import type { ReplyDialect } from '../text/reply-dialect.js';
import { renderReply } from '../text/reply-text.js';

/** Discord refuses message content longer than this. */
export const DISCORD_MESSAGE_LIMIT = DISCORD_LIMITS.contentChars;

/** Discord spells commands with named options: `/watch symbol:BAC threshold:3 window:15m`. */
const DISCORD_DIALECT: ReplyDialect = {
  watch: (symbol, ...rest) => `\`${['/watch', `symbol:${symbol}`, ...rest.map(namedOption)].join(' ')}\``,
  watchFull: '`/watch symbol:BAC threshold:3 window:15m direction:down hours:regular`',
  unwatch: (target, window) =>
    `\`${['/unwatch', `symbol:${target}`, ...(window === undefined ? [] : [`window:${window}`])].join(' ')}\``,
  watchlistPage: (page) => `\`/watchlist page:${page}\``,
  command: (name) => `\`/${name}\``,
  digest: (...words) => `\`${['/digest', ...digestOptions(words)].join(' ')}\``,
  table: (lines) => [FENCE, ...lines, FENCE].join('\n'),
  helpLines: ({ maxWatchesPerUser, minThresholdPct, maxThresholdPct, windows }) => [
    '`/watch symbol [threshold] [window] [direction] [hours]` — e.g. `/watch symbol:BAC threshold:3 window:15m`',
    `  threshold ${minThresholdPct}–${maxThresholdPct} % (default 3), window ${windows} (default 15m), direction up, down or both (default both), hours all or regular (default all).`,
    '  Watching the same symbol and window again updates that watch.',
    '`/unwatch symbol [window]` — e.g. `/unwatch symbol:BAC window:15m`; leave out the window for every window, or use `symbol:all` to clear your list.',
    `\`/watchlist\` — your watches with their last prices (at most ${maxWatchesPerUser}).`,
    "`/digest [action] [schedule] [time] [symbols]` — a channel's digest of the movers, e.g. `/digest action:on schedule:daily time:16:15 symbols:AAPL SPY` (Manage Channels permission).",
    '`/help` — this text. Replies are visible only to you; alerts arrive as DMs from the bot.',
  ],
};

/** `on daily 16:15 AAPL SPY` → `action:on schedule:daily time:16:15 symbols:AAPL SPY`. */
function digestOptions(words: readonly string[]): string[] {
  const [action, ...rest] = words;
  const options = action === undefined ? [] : [`action:${action}`];
  const symbols: string[] = [];
  for (const word of rest) {
    if (word === 'hourly' || word === 'daily') options.push(`schedule:${word}`);
    else if (/^\d/.test(word)) options.push(`time:${word}`);
    else symbols.push(word);
  }
  if (symbols.length > 0) options.push(`symbols:${symbols.join(' ')}`);
  return options;
}

/** `3%` → `threshold:3`, `15m` → `window:15m`, `down` → `direction:down`. */
function namedOption(token: string): string {
  if (token.endsWith('%')) return `threshold:${token.slice(0, -1)}`;
  if (/^\d/.test(token)) return `window:${token}`;
  if (token === 'all' || token === 'regular') return `hours:${token}`;
  return `direction:${token}`;
}

/** The Discord reply for a command outcome, split into messages within Discord's length limit. */
export function renderDiscordReply(result: CommandResult): string[] {
  return splitMessage(renderReply(result, DISCORD_DIALECT), DISCORD_MESSAGE_LIMIT);
}
