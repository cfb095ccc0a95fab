import type { DigestManagerRule } from './command-error.js';

/**
 * Where a command was typed, as the adapter knows it from the authenticated request: a DM, or a channel
 * with its key and whether the invoking member manages it. `mayManage` is asked only by commands that
 * change a channel's settings, since on Slack it costs a `users.info` call.
 */
export type CommandPlace =
  | { readonly kind: 'dm' }
  | {
      readonly kind: 'channel';
      readonly channelKey: string;
      readonly managerRule: DigestManagerRule;
      readonly mayManage: () => Promise<boolean>;
    };
