import type { DigestPoster } from '../../shared/ports/digest-poster.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { DirectChannelPreparer } from '../../shared/ports/messenger.js';
import type { QuoteLookup } from '../../shared/ports/quote-lookup.js';
import type { SubscriptionRepository } from '../../shared/ports/subscription-repository.js';
import type { WatchRepository } from '../../shared/ports/watch-repository.js';
import type { LiveFeedStatus } from '../../shared/ports/watched-symbols.js';

/** What every command handler works with: the core's ports and settings, defaults resolved. */
export interface CommandContext {
  readonly watches: WatchRepository;
  readonly quotes: QuoteLookup | undefined;
  readonly logger: Logger | undefined;
  readonly maxWatchesPerUser: number;
  readonly now: () => number;
  readonly liveFeed: LiveFeedStatus | undefined;
  /** Channel digests; without them `/digest` says digests are unavailable here. */
  readonly subscriptions?: SubscriptionRepository | undefined;
  readonly digests?: DigestPoster | undefined;
  /** Opens a user's DM channel when they add a watch, so their first alert DM does not wait for it. */
  readonly directMessages?: DirectChannelPreparer | undefined;
}
