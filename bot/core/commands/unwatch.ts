import type { Watch } from '../../../shared/domain/watch.js';
import type { UnwatchCommand, UnwatchTarget } from '../command.js';
import type { CommandContext } from '../command-context.js';
import { type CommandResult, rejected } from '../command-result.js';

/** Removes one watch, every watch on a symbol, or the whole list; removing nothing is `not-watching`. */
export async function executeUnwatch(
  context: CommandContext,
  userKey: string,
  command: UnwatchCommand,
): Promise<CommandResult> {
  const { target } = command;
  const targets = (await context.watches.listByUser(userKey)).filter((watch) => matches(watch, target));
  if (targets.length === 0) return rejected({ code: 'not-watching', target });

  // One delete per listed watch: the list is already in hand, so there is no need for the repository
  // to query again per symbol.
  const removed: Watch[] = [];
  for (const watch of targets) {
    const count = await context.watches.remove(userKey, watch.symbol, watch.window);
    if (count > 0) removed.push(watch);
  }
  // Everything went between our read and our deletes (another session of the same user).
  if (removed.length === 0) return rejected({ code: 'not-watching', target });
  return { kind: 'unwatched', target, removed };
}

function matches(watch: Watch, target: UnwatchTarget): boolean {
  if (target.kind === 'all') return true;
  return watch.symbol === target.symbol && (target.window === undefined || watch.window === target.window);
}
