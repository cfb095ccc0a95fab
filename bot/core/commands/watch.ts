import type { Watch } from '../../../shared/domain/watch.js';
import type { WatchCommand } from '../command.js';
import type { CommandContext } from '../command-context.js';
import { type CommandResult, rejected } from '../command-result.js';

/**
 * Saves the watch, replacing the user's watch on the same symbol and window (which keeps its `createdAt`
 * and does not count against the limit). A new watch beyond the limit is rejected and nothing is written.
 *
 * The limit is checked on a read before the write, so two `/watch` commands from one user at the same
 * instant could end one over it; the limit guards table size, not money, so that is accepted.
 */
export async function executeWatch(
  context: CommandContext,
  userKey: string,
  command: WatchCommand,
): Promise<CommandResult> {
  const { symbol, window } = command;
  const current = await context.watches.listByUser(userKey);
  const previous = current.find((watch) => watch.symbol === symbol && watch.window === window);
  if (previous === undefined && current.length >= context.maxWatchesPerUser) {
    return rejected({ code: 'watchlist-full', symbol, window, limit: context.maxWatchesPerUser });
  }
  const watch: Watch = {
    userKey,
    symbol,
    thresholdPct: command.thresholdPct,
    window,
    direction: command.direction,
    hours: command.hours,
    createdAt: previous?.createdAt ?? context.now(),
  };
  await context.watches.put(watch);
  return previous === undefined ? { kind: 'watched', watch } : { kind: 'watched', watch, previous };
}
