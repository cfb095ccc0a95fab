import type { Watch } from '../../../shared/domain/watch.js';
import type { WatchCommand } from '../command.js';
import type { CommandContext } from '../command-context.js';
import { type CommandResult, rejected } from '../command-result.js';

/**
 * Saves the watch, replacing the user's watch on the same symbol and window (which keeps its `createdAt`
 * and does not count against the limit). A new watch beyond the limit is rejected and nothing is written;
 * the repository holds the limit atomically, so concurrent `/watch` commands cannot pass it either.
 */
export async function executeWatch(
  context: CommandContext,
  userKey: string,
  command: WatchCommand,
): Promise<CommandResult> {
  const { symbol, window } = command;
  const requested: Watch = {
    userKey,
    symbol,
    thresholdPct: command.thresholdPct,
    window,
    direction: command.direction,
    hours: command.hours,
    createdAt: context.now(),
  };
  const saved = await context.watches.save(requested, context.maxWatchesPerUser);
  if (saved.kind === 'full') {
    return rejected({ code: 'watchlist-full', symbol, window, limit: context.maxWatchesPerUser });
  }
  const previous = saved.kind === 'replaced' ? saved.previous : undefined;
  // A replacement keeps the original watch's `createdAt`.
  const watch: Watch = previous === undefined ? requested : { ...requested, createdAt: previous.createdAt };
  const [tradesSeen] = await Promise.all([
    previous === undefined ? hasTrades(context, symbol) : true,
    prepareDirect(context, userKey),
  ]);
  const noTradesYet = !tradesSeen;
  return {
    kind: 'watched',
    watch,
    ...(previous === undefined ? {} : { previous }),
    ...(noTradesYet ? { noTradesYet: true } : {}),
  };
}

/**
 * The DM channel is opened now, while nothing is urgent, rather than when the user's first alert is due:
 * at a market's first big move one trade crosses many users' thresholds, and each first DM then waited for
 * its channel to open (docs/architecture.md, "Latency by stage"). Opening is idempotent and a failure is
 * only logged: the watch is saved either way, and the first send opens the channel itself.
 */
async function prepareDirect(context: CommandContext, userKey: string): Promise<void> {
  try {
    await context.directMessages?.prepareDirect(userKey);
  } catch (error) {
    context.logger?.warn('dm channel not opened ahead', { userKey, error });
  }
}

/**
 * A symbol never seen in Quotes is still accepted (it may simply not have traded since the pipeline
 * started), but the user hears about it. Without a lookup, or when it fails, nothing is claimed.
 */
async function hasTrades(context: CommandContext, symbol: string): Promise<boolean> {
  if (context.quotes === undefined) return true;
  try {
    return (await context.quotes.lastPrice(symbol)) !== undefined;
  } catch (error) {
    context.logger?.warn('quote lookup failed', { symbol, error });
    return true;
  }
}
