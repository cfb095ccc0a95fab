import { assertUserKey } from '../../shared/domain/user-key.js';
import { DEFAULT_MAX_WATCHES_PER_USER } from '../../shared/domain/watch.js';
import type { DigestPoster } from '../../shared/ports/digest-poster.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { DirectChannelPreparer } from '../../shared/ports/messenger.js';
import type { QuoteLookup } from '../../shared/ports/quote-lookup.js';
import type { RecipientRepository } from '../../shared/ports/recipient-repository.js';
import type { SubscriptionRepository } from '../../shared/ports/subscription-repository.js';
import type { WatchRepository } from '../../shared/ports/watch-repository.js';
import type { LiveFeedStatus } from '../../shared/ports/watched-symbols.js';
import type { Command } from './command.js';
import type { CommandContext } from './command-context.js';
import type { CommandPlace } from './command-place.js';
import { type CommandResult, rejected } from './command-result.js';
import { executeDigest } from './commands/digest.js';
import { executeHelp } from './commands/help.js';
import { executeUnwatch } from './commands/unwatch.js';
import { executeWatch } from './commands/watch.js';
import { executeWatchlist } from './commands/watchlist.js';
import { parseCommand } from './parse-command.js';

export interface CommandCoreOptions {
  readonly watches: WatchRepository;
  /** Supplies prices for /watchlist; without it the list shows no prices. */
  readonly quotes?: QuoteLookup;
  /** Defaults to DEFAULT_MAX_WATCHES_PER_USER. */
  readonly maxWatchesPerUser?: number;
  /** Epoch milliseconds, for a new watch's `createdAt`. Defaults to `Date.now`. */
  readonly now?: () => number;
  readonly logger?: Logger;
  /** Where delivery records DMs that failed for good; the user is told once, at their next command. */
  readonly recipients?: Pick<RecipientRepository, 'blocked' | 'clearBlocked'>;
  /** What a running live feed follows, for /watchlist; without it the list shows no live column. */
  readonly liveFeed?: LiveFeedStatus;
  /** Channel digest settings (the Subscriptions table), for `/digest`. */
  readonly subscriptions?: SubscriptionRepository;
  /** Posts a digest at once, for `/digest now`. */
  readonly digests?: DigestPoster;
  /**
   * Opens the user's DM channel at `/watch` (the notifier's platform messengers), so the first alert DM
   * is a plain post instead of an open and a post at the moment the market moves.
   */
  readonly directMessages?: DirectChannelPreparer;
}

/** The platform-neutral bot: every chat adapter turns its input into calls of this. */
export interface CommandCore {
  /**
   * Runs a parsed command for `userKey`, which the adapter derives from the authenticated identity.
   * Expected failures come back as a `rejected` result, with nothing written; an unavailable
   * repository rejects the promise. `place` is where it was typed (a DM or a channel), for `/digest`.
   */
  execute(userKey: string, command: Command, place?: CommandPlace): Promise<CommandResult>;
  /** Parses `name` and `args` (see parseCommand) and runs the command; a parse error is a `rejected` result. */
  run(userKey: string, name: string, args: readonly string[], place?: CommandPlace): Promise<CommandResult>;
  /** The distinct symbols `userKey` watches, sorted: suggestions for `/unwatch` as the user types. */
  watchedSymbols(userKey: string): Promise<string[]>;
}

export function createCommandCore(options: CommandCoreOptions): CommandCore {
  const maxWatchesPerUser = options.maxWatchesPerUser ?? DEFAULT_MAX_WATCHES_PER_USER;
  if (!Number.isInteger(maxWatchesPerUser) || maxWatchesPerUser < 1) {
    throw new RangeError(`maxWatchesPerUser must be a positive integer, got ${maxWatchesPerUser}`);
  }
  const context: CommandContext = {
    watches: options.watches,
    quotes: options.quotes,
    logger: options.logger,
    maxWatchesPerUser,
    now: options.now ?? Date.now,
    liveFeed: options.liveFeed,
    subscriptions: options.subscriptions,
    digests: options.digests,
    directMessages: options.directMessages,
  };

  async function execute(userKey: string, command: Command, place?: CommandPlace): Promise<CommandResult> {
    assertUserKey(userKey);
    const startedAt = Date.now();
    const result = await withNotices(userKey, await dispatch(userKey, command, place));
    context.logger?.info('command', {
      userKey,
      command: command.kind,
      outcome: result.kind,
      ...(result.kind === 'rejected' ? { code: result.error.code } : {}),
      ms: Date.now() - startedAt,
    });
    return result;
  }

  async function dispatch(
    userKey: string,
    command: Command,
    place: CommandPlace | undefined,
  ): Promise<CommandResult> {
    switch (command.kind) {
      case 'watch':
        return executeWatch(context, userKey, command);
      case 'unwatch':
        return executeUnwatch(context, userKey, command);
      case 'watchlist':
        return executeWatchlist(context, userKey, command);
      case 'help':
        return executeHelp(context);
      case 'digest':
        return executeDigest(context, userKey, command, place);
    }
  }

  /** Adds the news that the user's alert DMs are blocked, once: the flag is cleared when told. */
  async function withNotices(userKey: string, result: CommandResult): Promise<CommandResult> {
    const recipients = options.recipients;
    if (recipients === undefined) return result;
    try {
      const block = await recipients.blocked(userKey);
      if (block === undefined) return result;
      await recipients.clearBlocked(userKey);
      return {
        ...result,
        notices: [...(result.notices ?? []), { kind: 'dms-blocked', code: block.code, at: block.at }],
      };
    } catch (error) {
      // The answer matters more than the notice; the next command tries again.
      context.logger?.warn('dm block lookup failed', { userKey, error });
      return result;
    }
  }

  return {
    execute,
    async run(userKey, name, args, place) {
      assertUserKey(userKey);
      const parsed = parseCommand(name, args);
      if (parsed.ok) return execute(userKey, parsed.command, place);
      context.logger?.info('command', {
        userKey,
        command: name,
        outcome: 'rejected',
        code: parsed.error.code,
      });
      return withNotices(userKey, rejected(parsed.error));
    },
    async watchedSymbols(userKey) {
      assertUserKey(userKey);
      const watches = await context.watches.listByUser(userKey);
      return [...new Set(watches.map((watch) => watch.symbol))].sort();
    },
  };
}
