import type { Subscription } from '../../shared/domain/subscription.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { DigestPostOutcome } from '../../shared/ports/digest-poster.js';
import type { LastPrice } from '../../shared/ports/quote-lookup.js';
import type { LiveMode } from '../../shared/ports/watched-symbols.js';
import type { UnwatchTarget } from './command.js';
import type { CommandError } from './command-error.js';

/** Something the user should know besides the answer, shown after it. */
export type CommandNotice =
  | {
      /** An alert DM could not be delivered for good (DMs closed, app blocked…). */
      readonly kind: 'dms-blocked';
      /** The platform's code, e.g. Discord `50007` or Slack `user_not_found`. */
      readonly code: string;
      /** Epoch ms of the failed delivery. */
      readonly at: number;
    }
  | {
      /** The channel's last digest could not be posted (bot removed, no access): it is being skipped. */
      readonly kind: 'digest-unreachable';
      readonly code: string;
      readonly at: number;
    };

interface WithNotices {
  readonly notices?: readonly CommandNotice[];
}

/** `/watch` saved `watch`; `previous` is the watch on the same symbol and window it replaced, if any. */
export interface WatchedResult extends WithNotices {
  readonly kind: 'watched';
  readonly watch: Watch;
  readonly previous?: Watch;
  /** Set when the core has a quote lookup and it has never seen a trade of the symbol (a typo, or a quiet stock). */
  readonly noTradesYet?: true;
}

/** `/unwatch` removed these watches (never empty: removing nothing is a `not-watching` rejection). */
export interface UnwatchedResult extends WithNotices {
  readonly kind: 'unwatched';
  readonly target: UnwatchTarget;
  readonly removed: readonly Watch[];
}

export interface WatchlistEntry {
  readonly watch: Watch;
  /** Present only when the core has a quote lookup and it knows the symbol. */
  readonly lastPrice?: LastPrice;
  /** How a running live feed follows the symbol (trades, or minute bars); absent without a live feed. */
  readonly live?: LiveMode;
}

/** One page of the user's watches, sorted by symbol then window length. */
export interface WatchlistResult extends WithNotices {
  readonly kind: 'watchlist';
  /** The watches on this page. */
  readonly entries: readonly WatchlistEntry[];
  readonly maxWatchesPerUser: number;
  /** All of the user's watches; defaults to `entries.length` (one page). */
  readonly total?: number;
  /** 1-based page shown, of `pageCount`; both default to 1. */
  readonly page?: number;
  readonly pageCount?: number;
}

export interface HelpResult extends WithNotices {
  readonly kind: 'help';
  readonly maxWatchesPerUser: number;
}

/** The command was refused; nothing was written. */
export interface RejectedResult extends WithNotices {
  readonly kind: 'rejected';
  readonly error: CommandError;
}

/** `/digest` alone: the channel's settings, or none. */
export interface DigestSettingsResult extends WithNotices {
  readonly kind: 'digest-settings';
  readonly subscription: Subscription | undefined;
}

/** `/digest on` saved `subscription`; `previous` is what it replaced. */
export interface DigestOnResult extends WithNotices {
  readonly kind: 'digest-on';
  readonly subscription: Subscription;
  readonly previous: Subscription | undefined;
}

export interface DigestOffResult extends WithNotices {
  readonly kind: 'digest-off';
}

/** `/digest now` ran: posted, or the channel refused the bot. */
export interface DigestPostedResult extends WithNotices {
  readonly kind: 'digest-posted';
  readonly outcome: DigestPostOutcome;
}

/** The outcome of one command as a value, for a platform's text function to render. */
export type CommandResult =
  | WatchedResult
  | UnwatchedResult
  | WatchlistResult
  | HelpResult
  | DigestSettingsResult
  | DigestOnResult
  | DigestOffResult
  | DigestPostedResult
  | RejectedResult;

export function rejected(error: CommandError): RejectedResult {
  return { kind: 'rejected', error };
}
