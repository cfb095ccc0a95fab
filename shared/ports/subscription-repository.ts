import type { Subscription } from '../domain/subscription.js';

/**
 * The right to post one digest period to a channel: `claimed` (post it now), `done` (posted already,
 * or a later period was), or `busy` (another run holds a fresh claim).
 */
export type PeriodClaim = 'claimed' | 'done' | 'busy';

/** The Subscriptions table: digest settings per channel, and the once-per-period posting record. */
export interface SubscriptionRepository {
  get(channelKey: string): Promise<Subscription | undefined>;
  /** Creates or replaces the settings; the channel's posting record is kept. */
  save(subscription: Subscription): Promise<void>;
  /** Returns false when the channel had no subscription. */
  remove(channelKey: string): Promise<boolean>;
  /** Every subscription: read once per scheduled tick, not on a hot path. */
  listAll(): Promise<Subscription[]>;
  /**
   * Claims the period ending at `periodTs` (epoch ms) with a conditional write: only if no period at or
   * after it was claimed, or this period's claim was released or is older than `leaseMs`.
   */
  claimPeriod(channelKey: string, periodTs: number, leaseMs: number): Promise<PeriodClaim>;
  finishPeriod(channelKey: string, periodTs: number): Promise<void>;
  /** Gives a claim back after a transient failure, so that a retry may post the period. */
  releasePeriod(channelKey: string, periodTs: number): Promise<void>;
  /** The channel refused the bot for good (removed, no access): recorded for the next `/digest` there. */
  markUnreachable(channelKey: string, code: string, at: number): Promise<void>;
}
