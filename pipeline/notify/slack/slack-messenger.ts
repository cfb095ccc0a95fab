import { ErrorCode, type WebClient } from '@slack/web-api';
import { parseUserKey } from '../../../shared/domain/user-key.js';
import type { Logger } from '../../../shared/ports/logger.js';
import {
  type DirectMessage,
  type Messenger,
  PermanentDeliveryError,
} from '../../../shared/ports/messenger.js';
import type { RecipientRepository } from '../../../shared/ports/recipient-repository.js';
import { slackMessageBlocks } from './slack-message-blocks.js';

/** Slack platform errors after which a DM to this user can never succeed. */
const PERMANENT_ERRORS = new Set([
  'user_not_found',
  'account_inactive',
  'user_disabled',
  'cannot_dm_bot',
  'user_not_visible',
  'invalid_auth',
  'not_authed',
  'missing_scope',
]);

/**
 * DMs through Slack's Web API with `@slack/web-api`: `conversations.open` once per user (cached in the
 * Recipients table), then `chat.postMessage` with Block Kit, then the chart uploaded into the message's
 * thread. Slack has no idempotency key: the notifier records delivery before and after this call.
 * Rate limits (429 + Retry-After) and retries are the WebClient's job.
 */
export class SlackMessenger implements Messenger {
  constructor(
    private readonly web: WebClient,
    private readonly recipients: RecipientRepository,
    private readonly logger: Logger,
  ) {}

  async sendDirect(userKey: string, message: DirectMessage): Promise<void> {
    const userId = slackUserId(userKey);
    let posted: { channel: string; ts: string | undefined };
    try {
      let channel = await this.recipients.dmChannel(userKey);
      if (channel === undefined) {
        const opened = await this.web.conversations.open({ users: userId });
        channel = opened.channel?.id ?? userId;
        await this.recipients.saveDmChannel(userKey, channel);
      }
      const result = await this.web.chat.postMessage({
        channel,
        text: message.text,
        blocks: slackMessageBlocks(message),
      });
      posted = { channel, ts: result.ts };
    } catch (error) {
      const platformError = (error as { code?: string; data?: { error?: string } }).data?.error;
      if (
        (error as { code?: string }).code === ErrorCode.PlatformError &&
        platformError &&
        PERMANENT_ERRORS.has(platformError)
      ) {
        throw new PermanentDeliveryError(`Slack refused the DM to ${userKey}: ${platformError}`, {
          cause: error,
          code: platformError,
        });
      }
      throw error;
    }
    if (message.chart) await this.uploadChart(posted, message, userKey);
  }

  /** The message is delivered by now; a chart that fails to upload is logged, not retried. */
  private async uploadChart(
    posted: { channel: string; ts: string | undefined },
    message: DirectMessage,
    userKey: string,
  ): Promise<void> {
    const chart = message.chart;
    if (!chart) return;
    try {
      const file = { file: Buffer.from(chart.png), filename: chart.fileName, alt_text: chart.altText };
      await this.web.files.uploadV2(
        posted.ts === undefined
          ? { ...file, channel_id: posted.channel }
          : { ...file, channel_id: posted.channel, thread_ts: posted.ts },
      );
    } catch (error) {
      this.logger.warn('chart upload failed', { userKey, error: String(error) });
    }
  }
}

function slackUserId(userKey: string): string {
  const identity = parseUserKey(userKey);
  if (identity?.platform !== 'slack')
    throw new PermanentDeliveryError(`${userKey} is not a Slack user key (slack:<teamId>:<userId>)`, {
      code: 'bad-user-key',
    });
  return identity.userId;
}
