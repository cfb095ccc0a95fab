import type { DigestSchedule } from './digest-schedule.js';

/** A channel's digest settings, one item per channel in the Subscriptions table. */
export interface Subscription {
  /** See channel-key.ts. */
  readonly channelKey: string;
  readonly schedule: DigestSchedule;
  /** The listed symbols; empty means the symbols the workspace's or guild's users watch. */
  readonly symbols: readonly string[];
  /** userKey of who turned the digest on (or last changed it). */
  readonly createdBy: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Set when posting failed for good (bot removed, no access); cleared by the next successful post. */
  readonly unreachable?: { readonly code: string; readonly at: number };
}

/** At most this many listed symbols per channel (a digest is a summary, not a screener). */
export const MAX_DIGEST_SYMBOLS = 50;
