/**
 * How one platform spells commands and formats text. The wording of every reply lives once, in
 * reply-text.ts; a dialect supplies only what differs: how a command is typed there and how a table is set.
 */
export interface ReplyDialect {
  /** `/watch BAC 3% 15m` as a user of this platform types it. */
  readonly watch: (symbol: string, ...rest: readonly string[]) => string;
  /** `/watch` with threshold, window, direction and hours, for usage hints. */
  readonly watchFull: string;
  readonly unwatch: (target: string, window?: string) => string;
  /** `/watchlist 2` as typed on this platform. */
  readonly watchlistPage: (page: number) => string;
  /** How to write a command name inline (`/watchlist`). */
  readonly command: (name: 'watch' | 'unwatch' | 'watchlist' | 'help' | 'digest') => string;
  /** `/digest on daily 16:15 AAPL` as a user of this platform types it. */
  readonly digest: (...words: readonly string[]) => string;
  /** Sets aligned rows (the watchlist) so that they stay aligned: a code block where the platform has one. */
  readonly table: (lines: readonly string[]) => string;
  /** The lines of /help after the heading. */
  readonly helpLines: (context: HelpContext) => readonly string[];
}

export interface HelpContext {
  readonly maxWatchesPerUser: number;
  readonly minThresholdPct: number;
  readonly maxThresholdPct: number;
  readonly windows: string;
}
