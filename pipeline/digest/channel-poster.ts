import type { Picture } from '../../shared/ports/messenger.js';
import type { Digest } from './digest.js';

/** Posts a digest to one channel of one platform. */
export interface ChannelPoster {
  postDigest(channelId: string, digest: Digest, chart: Picture | undefined): Promise<void>;
}

/** The platform refuses the channel for good: the bot was removed, or may not post or see it. */
export class ChannelUnreachableError extends Error {
  override readonly name = 'ChannelUnreachableError';

  constructor(
    message: string,
    /** The platform's code: Discord `50001`, Slack `not_in_channel`… */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
