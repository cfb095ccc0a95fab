import type { WindowName } from '../../shared/domain/window.js';
import type { CommandName, UnwatchTarget } from './command.js';

/** The optional parts of `/watch` after the symbol. */
export type ArgumentKind = 'threshold' | 'window' | 'direction' | 'hours';

/**
 * An expected failure of a command: bad input or a rule the request breaks. Each `code` is stable;
 * each platform has one function that turns these into text. `token` is the user's input as typed.
 */
export type CommandError =
  | { readonly code: 'unknown-command'; readonly name: string }
  | { readonly code: 'missing-symbol'; readonly command: 'watch' | 'unwatch' }
  | { readonly code: 'bad-symbol'; readonly command: 'watch' | 'unwatch' | 'digest'; readonly token: string }
  /** `character` is the first one outside ASCII: upper-casing would turn it into another ticker (ß → SS). */
  | {
      readonly code: 'non-ascii-symbol';
      readonly command: 'watch' | 'unwatch' | 'digest';
      readonly token: string;
      readonly character: string;
    }
  | { readonly code: 'bad-threshold'; readonly token: string }
  | {
      readonly code: 'threshold-out-of-range';
      readonly token: string;
      readonly value: number;
      readonly min: number;
      readonly max: number;
    }
  | { readonly code: 'bad-window'; readonly command: 'watch' | 'unwatch'; readonly token: string }
  | { readonly code: 'unknown-argument'; readonly command: CommandName; readonly token: string }
  | {
      readonly code: 'duplicate-argument';
      readonly command: 'watch';
      readonly token: string;
      readonly kind: ArgumentKind;
    }
  | {
      readonly code: 'watchlist-full';
      readonly symbol: string;
      readonly window: WindowName;
      readonly limit: number;
    }
  | { readonly code: 'not-watching'; readonly target: UnwatchTarget }
  /** `/digest` takes on, off, now or nothing. */
  | { readonly code: 'bad-digest-action'; readonly token: string }
  /** `daily` needs an HH:MM time in 24-hour New York time. */
  | { readonly code: 'bad-digest-time'; readonly token: string }
  | { readonly code: 'too-many-digest-symbols'; readonly count: number; readonly limit: number }
  /** Digests are posted in channels; a DM has none. */
  | { readonly code: 'digest-in-dm' }
  /** Only channel managers change a channel's digest; `rule` says who they are on the platform. */
  | { readonly code: 'digest-not-allowed'; readonly rule: DigestManagerRule }
  | { readonly code: 'no-digest'; readonly action: 'off' | 'now' }
  /** This bot process has no digest stage wired (`/digest now` needs one). */
  | { readonly code: 'digest-unavailable' };

/** Who may change a channel's digest: Discord's Manage Channels permission, or a Slack workspace admin or owner. */
export type DigestManagerRule = 'discord-manage-channels' | 'slack-workspace-admin' | 'console';

export type CommandErrorCode = CommandError['code'];
