import type { Subscription } from '../domain/subscription.js';

export type DigestPostOutcome =
  | { readonly kind: 'posted'; readonly symbols: number }
  /** The platform refused the channel for good (bot removed, no access); recorded on the subscription. */
  | { readonly kind: 'unreachable'; readonly code: string };

/** Builds and posts a channel's digest at once (`/digest now`), outside the schedule. */
export interface DigestPoster {
  postNow(subscription: Subscription): Promise<DigestPostOutcome>;
}
