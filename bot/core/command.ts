import type { DigestSchedule } from '../../shared/domain/digest-schedule.js';
import type { Direction, MarketHours } from '../../shared/domain/watch.js';
import type { WindowName } from '../../shared/domain/window.js';

/** The commands a user can type, without the platform's leading slash. */
export const COMMAND_NAMES = ['watch', 'unwatch', 'watchlist', 'help', 'digest'] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

/** `/watch SYMBOL [threshold] [window] [direction] [hours]`, with every default filled in. */
export interface WatchCommand {
  readonly kind: 'watch';
  readonly symbol: string;
  readonly thresholdPct: number;
  readonly window: WindowName;
  readonly direction: Direction;
  readonly hours: MarketHours;
}

/** What an `/unwatch` removes: one watch, every watch on a symbol, or the whole list. */
export type UnwatchTarget =
  | { readonly kind: 'symbol'; readonly symbol: string; readonly window?: WindowName }
  | { readonly kind: 'all' };

export interface UnwatchCommand {
  readonly kind: 'unwatch';
  readonly target: UnwatchTarget;
}

/** `/watchlist [page]`: a long list is shown a page at a time (WATCHLIST_PAGE_SIZE watches). */
export interface WatchlistCommand {
  readonly kind: 'watchlist';
  /** 1-based; default 1. */
  readonly page?: number;
}

export interface HelpCommand {
  readonly kind: 'help';
}

/** `/digest` (show), `/digest on [hourly | daily HH:MM] [SYMBOL ...]`, `/digest off`, `/digest now`. */
export type DigestAction =
  | { readonly kind: 'show' }
  | { readonly kind: 'on'; readonly schedule: DigestSchedule; readonly symbols: readonly string[] }
  | { readonly kind: 'off' }
  | { readonly kind: 'now' };

export interface DigestCommand {
  readonly kind: 'digest';
  readonly action: DigestAction;
}

/** A parsed, validated command. The user it acts for is never part of it: adapters pass that separately. */
export type Command = WatchCommand | UnwatchCommand | WatchlistCommand | HelpCommand | DigestCommand;
