import type { CommandContext } from '../command-context.js';
import type { CommandResult } from '../command-result.js';

/** Help text is the platform's job; the core supplies the settings the text depends on. */
export function executeHelp(context: CommandContext): CommandResult {
  return { kind: 'help', maxWatchesPerUser: context.maxWatchesPerUser };
}
