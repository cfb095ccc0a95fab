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
  | { readonly code: 'bad-symbol'; readonly command: 'watch' | 'unwatch'; readonly token: string }
  /** `character` is the first one outside ASCII: upper-casing would turn it into another ticker (ß → SS). */
  | {
      readonly code: 'non-ascii-symbol';
      readonly command: 'watch' | 'unwatch';
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
  | { readonly code: 'not-watching'; readonly target: UnwatchTarget };

export type CommandErrorCode = CommandError['code'];
