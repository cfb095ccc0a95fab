import type { Subscription } from '../../../shared/domain/subscription.js';
import type { DigestCommand } from '../command.js';
import type { CommandContext } from '../command-context.js';
import type { CommandPlace } from '../command-place.js';
import { type CommandResult, rejected } from '../command-result.js';

/**
 * `/digest` in a channel: shows the settings to anyone; on, off and now only for channel managers (the
 * adapter says who they are). In a DM it refuses, since digests are posted in channels. A refusal
 * writes nothing.
 */
export async function executeDigest(
  context: CommandContext,
  userKey: string,
  command: DigestCommand,
  place: CommandPlace | undefined,
): Promise<CommandResult> {
  if (place === undefined || place.kind === 'dm') return rejected({ code: 'digest-in-dm' });
  const subscriptions = context.subscriptions;
  if (subscriptions === undefined) return rejected({ code: 'digest-unavailable' });
  const { action } = command;
  const current = await subscriptions.get(place.channelKey);
  const withNotice = <T extends CommandResult>(result: T): T =>
    current?.unreachable === undefined || result.kind === 'digest-settings'
      ? result
      : { ...result, notices: [{ kind: 'digest-unreachable', ...current.unreachable }] };
  if (action.kind === 'show') return { kind: 'digest-settings', subscription: current };
  if (!(await place.mayManage()))
    return withNotice(rejected({ code: 'digest-not-allowed', rule: place.managerRule }));
  switch (action.kind) {
    case 'on': {
      const now = context.now();
      const subscription: Subscription = {
        channelKey: place.channelKey,
        schedule: action.schedule,
        symbols: action.symbols,
        createdBy: userKey,
        createdAt: current?.createdAt ?? now,
        updatedAt: now,
      };
      await subscriptions.save(subscription);
      return { kind: 'digest-on', subscription, previous: current };
    }
    case 'off':
      if (!(await subscriptions.remove(place.channelKey)))
        return rejected({ code: 'no-digest', action: 'off' });
      return { kind: 'digest-off' };
    case 'now': {
      if (current === undefined) return rejected({ code: 'no-digest', action: 'now' });
      if (context.digests === undefined) return rejected({ code: 'digest-unavailable' });
      return { kind: 'digest-posted', outcome: await context.digests.postNow(current) };
    }
  }
}
