import { describeSchedule } from '../../shared/domain/digest-schedule.js';
import type { Subscription } from '../../shared/domain/subscription.js';
import type { CommandError, DigestManagerRule } from '../core/command-error.js';
import type {
  DigestOffResult,
  DigestOnResult,
  DigestPostedResult,
  DigestSettingsResult,
} from '../core/command-result.js';
import type { ReplyDialect } from './reply-dialect.js';

type DigestResult = DigestSettingsResult | DigestOnResult | DigestOffResult | DigestPostedResult;
type DigestError = Extract<
  CommandError,
  {
    code:
      | 'bad-digest-action'
      | 'bad-digest-time'
      | 'too-many-digest-symbols'
      | 'digest-in-dm'
      | 'digest-not-allowed'
      | 'no-digest'
      | 'digest-unavailable';
  }
>;

/** The example every digest hint shows. */
export function digestExample(d: ReplyDialect): string {
  return d.digest('on', 'daily', '16:15', 'AAPL', 'SPY');
}

/** The wording of `/digest` answers; reply-text.ts calls this for the digest outcomes. */
export function renderDigestAnswer(result: DigestResult, d: ReplyDialect): string {
  switch (result.kind) {
    case 'digest-settings':
      if (result.subscription === undefined) {
        return `No digest in this channel. A channel manager can turn one on with ${d.digest('on')} (daily at 16:15 ET on weekdays, covering the symbols people here watch) — or choose, for example ${digestExample(d)}`;
      }
      return [
        `📰 This channel's digest: ${describeSubscription(result.subscription)}. Change it with ${d.digest('on')}, stop it with ${d.digest('off')}, or post one now with ${d.digest('now')}.`,
        ...(result.subscription.unreachable
          ? [unreachableText(result.subscription.unreachable.code, result.subscription.unreachable.at)]
          : []),
      ].join('\n');
    case 'digest-on':
      return `✅ ${result.previous === undefined ? 'Digest on' : 'Digest updated'}: ${describeSubscription(result.subscription)}. Type ${d.digest('now')} to see one at once.`;
    case 'digest-off':
      return `🗑️ Digest off: this channel gets no more digests. Turn it on again with ${d.digest('on')}.`;
    case 'digest-posted':
      return result.outcome.kind === 'posted'
        ? `📰 Posted the digest here (${result.outcome.symbols} ${result.outcome.symbols === 1 ? 'symbol' : 'symbols'}).`
        : unreachableText(result.outcome.code, undefined);
  }
}

export function renderDigestError(error: DigestError, d: ReplyDialect): string {
  switch (error.code) {
    case 'bad-digest-action':
      return `"${error.token}" is not something ${d.command('digest')} does. Use on, off or now, or ${d.command('digest')} alone to see the settings — for example ${digestExample(d)}`;
    case 'bad-digest-time':
      return `"${error.token}" is not a time. Give a 24-hour New York time such as 16:15 — for example ${digestExample(d)}`;
    case 'too-many-digest-symbols':
      return `That is ${error.count} symbols; a digest covers at most ${error.limit}. List fewer — for example ${digestExample(d)} — or none, for the symbols people here watch.`;
    case 'digest-in-dm':
      return `Digests are for channels. Type ${d.command('digest')} in the channel that should get one; a channel manager turns it on with ${d.digest('on')}.`;
    case 'digest-not-allowed':
      return `${whoMayManage(error.rule)} can change this channel's digest. Ask one of them, or type ${d.command('digest')} to see the settings.`;
    case 'no-digest':
      return `This channel has no digest to ${error.action === 'off' ? 'turn off' : 'post'}. Turn one on with ${d.digest('on')} — for example ${digestExample(d)}`;
    case 'digest-unavailable':
      return 'Digests are not set up on this StockAlert server (no digest stage is configured). Ask whoever runs it.';
  }
}

export function unreachableText(code: string, at: number | undefined): string {
  const when = at === undefined ? '' : ` on ${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `⚠️ StockAlert could not post the digest in this channel${when} (platform code ${code}), so digests here are being skipped. Add the bot to the channel again and let it post messages.`;
}

function whoMayManage(rule: DigestManagerRule): string {
  switch (rule) {
    case 'discord-manage-channels':
      return 'Only members with the Manage Channels permission';
    case 'slack-workspace-admin':
      return 'Only workspace admins and owners';
    case 'console':
      return 'Only the console operator';
  }
}

function describeSubscription(subscription: Subscription): string {
  const when =
    subscription.schedule.kind === 'hourly'
      ? 'hourly, 10:00–16:00 ET on trading days'
      : `${describeSchedule(subscription.schedule)} ET on weekdays`;
  const what =
    subscription.symbols.length === 0 ? 'the symbols people here watch' : subscription.symbols.join(', ');
  return `${when}, covering ${what}`;
}
