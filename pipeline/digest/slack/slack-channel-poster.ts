import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Logger } from '../../../shared/ports/logger.js';
import type { Picture } from '../../../shared/ports/messenger.js';
import { type ChannelPoster, ChannelUnreachableError } from '../channel-poster.js';
import type { Digest } from '../digest.js';
import { slackDigestMessage } from './slack-digest-blocks.js';

/** Slack errors after which posting in this channel cannot succeed until someone acts. */
const UNREACHABLE = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'team_access_not_granted',
  'invalid_auth',
  'account_inactive',
]);

/** Digests to Slack channels: chat.postMessage with Block Kit, then the chart in the message's thread. */
export class SlackChannelPoster implements ChannelPoster {
  constructor(
    private readonly web: WebClient,
    private readonly logger: Logger,
  ) {}

  async postDigest(channelId: string, digest: Digest, chart: Picture | undefined): Promise<void> {
    let ts: string | undefined;
    try {
      const { text, blocks } = slackDigestMessage(digest);
      ts = (await this.web.chat.postMessage({ channel: channelId, text, blocks })).ts;
    } catch (error) {
      const code = (error as { code?: string; data?: { error?: string } }).data?.error;
      if ((error as { code?: string }).code === ErrorCode.PlatformError && code && UNREACHABLE.has(code)) {
        throw new ChannelUnreachableError(`Slack refused channel ${channelId}: ${code}`, code, {
          cause: error,
        });
      }
      throw error;
    }
    if (chart === undefined) return;
    try {
      const file = { file: Buffer.from(chart.png), filename: chart.fileName, alt_text: chart.altText };
      await this.web.files.uploadV2(
        ts === undefined
          ? { ...file, channel_id: channelId }
          : { ...file, channel_id: channelId, thread_ts: ts },
      );
    } catch (error) {
      // The digest is posted; a chart that fails to upload is logged, not worth a second digest.
      this.logger.warn('digest chart upload failed', { channelId, error: String(error) });
    }
  }
}
