import type { Platform } from './user-key.js';

/**
 * The one format of a channel's key, the Subscriptions table's partition key:
 * `discord:<guildId>:<channelId>`, `slack:<teamId>:<channelId>` or `console:<name>`.
 * Always built from the platform's authenticated request, never from command text.
 */
export interface ChannelRef {
  readonly platform: Platform;
  /** Discord guild or Slack team; undefined on the console. */
  readonly community: string | undefined;
  readonly channelId: string;
}

const PART = /^[A-Za-z0-9_.-]+$/;

export function channelKey(ref: ChannelRef): string {
  for (const part of [ref.community, ref.channelId]) {
    if (part !== undefined && !PART.test(part)) throw new TypeError(`not a channel id part: ${part}`);
  }
  return ref.community === undefined
    ? `${ref.platform}:${ref.channelId}`
    : `${ref.platform}:${ref.community}:${ref.channelId}`;
}

export function parseChannelKey(key: string): ChannelRef | undefined {
  const parts = key.split(':');
  const [platform, a, b] = parts;
  if (platform === 'console' && parts.length === 2 && a && PART.test(a)) {
    return { platform, community: undefined, channelId: a };
  }
  if ((platform === 'discord' || platform === 'slack') && parts.length === 3 && a && b) {
    if (!PART.test(a) || !PART.test(b)) return undefined;
    return { platform, community: a, channelId: b };
  }
  return undefined;
}
