import { ErrorCode, type WebClient } from '@slack/web-api';
import { parseUserKey } from '../../../shared/domain/user-key.js';
import type { Logger } from '../../../shared/ports/logger.js';
import {
  DELIVERY_CREDENTIALS_ALARM,
  type DirectDelivery,
  type DirectMessage,
  MESSAGE_FORMAT_ALARM,
  type Messenger,
  OperatorDeliveryError,
  PermanentDeliveryError,
  type Picture,
} from '../../../shared/ports/messenger.js';
import type { RecipientRepository } from '../../../shared/ports/recipient-repository.js';
import { DmChannelOpens } from '../dm-channel-opens.js';
import { type SlackMessagePart, slackMessageParts, slackPlainTextParts } from './slack-message-blocks.js';

/** Slack platform errors after which a DM to this user can never succeed. */
const RECIPIENT_ERRORS = new Set(['user_not_found', 'user_disabled', 'cannot_dm_bot', 'user_not_visible']);

/**
 * Errors about the bot's own token or its permissions: every user is affected and only the operator can
 * fix them (`account_inactive` is the bot token's own account, deleted or its workspace gone).
 */
const OPERATOR_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'missing_scope',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'not_allowed_token_type',
  'team_access_not_granted',
  'ekm_access_denied',
]);

/** Errors about the message's form: our bug, never transient. The plain-text fallback goes instead. */
const FORMAT_ERRORS = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'too_many_attachments',
]);

/**
 * DMs through Slack's Web API with `@slack/web-api`: `conversations.open` once per user (cached in the
 * Recipients table), then `chat.postMessage` with Block Kit (split within Slack's limits), and the chart in
 * the first message's thread: its bytes uploaded while the message is posted, shared once it is. Slack has
 * no idempotency key: the notifier records delivery before and after this call. Rate limits (429 +
 * Retry-After) and retries of the Web API calls are the WebClient's job.
 */
export class SlackMessenger implements Messenger {
  private readonly opens = new DmChannelOpens((userKey) => this.openDm(userKey));

  constructor(
    private readonly web: WebClient,
    private readonly recipients: RecipientRepository,
    private readonly logger: Logger,
    /** How long the chart's bytes may take to reach Slack's upload URL (the Web API calls have the client's). */
    private readonly uploadTimeoutMs = 10_000,
  ) {}

  async warm(): Promise<void> {
    try {
      await this.web.auth.test();
    } catch (error) {
      this.logger.warn('slack not reachable at start-up; the first DM will try again', { error });
    }
  }

  async prepareDirect(userKey: string): Promise<void> {
    try {
      if ((await this.recipients.dmChannel(userKey)) === undefined) await this.opens.prepare(userKey);
    } catch {
      // The send reads and reports it.
    }
  }

  private async openDm(userKey: string): Promise<string> {
    const opened = await this.web.conversations.open({ users: slackUserId(userKey) });
    const channel = opened.channel?.id ?? slackUserId(userKey);
    await this.recipients.saveDmChannel(userKey, channel);
    return channel;
  }

  async sendDirect(userKey: string, message: DirectMessage): Promise<DirectDelivery | undefined> {
    slackUserId(userKey); // a key of another platform is refused before anything is sent
    // The chart's bytes go up while the message is posted; only sharing it into the thread waits for the post.
    const staged = message.chart === undefined ? undefined : this.stageChart(message.chart, userKey);
    let posted: { channel: string; ts: string | undefined };
    try {
      const channel = (await this.recipients.dmChannel(userKey)) ?? (await this.opens.take(userKey));
      posted = { channel, ts: await this.postAll(channel, message, userKey) };
    } catch (error) {
      const platformError = platformErrorOf(error);
      if (platformError !== undefined && OPERATOR_ERRORS.has(platformError)) {
        throw new OperatorDeliveryError(
          `Slack refused the bot's token or scopes: ${platformError}`,
          'slack',
          platformError,
          {
            cause: error,
          },
        );
      }
      if (platformError !== undefined && RECIPIENT_ERRORS.has(platformError)) {
        throw new PermanentDeliveryError(`Slack refused the DM to ${userKey}: ${platformError}`, {
          cause: error,
          code: platformError,
        });
      }
      if (platformError !== undefined && FORMAT_ERRORS.has(platformError)) {
        throw new PermanentDeliveryError(`Slack refused even the plain-text DM: ${platformError}`, {
          cause: error,
          code: platformError,
          scope: 'message',
        });
      }
      throw error;
    }
    if (staged === undefined) return undefined;
    // The DM is out: its delivery can be recorded while the chart is shared into the thread.
    return {
      followUp: staged.then((id) => (id === undefined ? undefined : this.shareChart(posted, id, userKey))),
    };
  }

  /** Posts every part in order and returns the first one's ts; when Slack refuses the form, the rest goes as plain text. */
  private async postAll(
    channel: string,
    message: DirectMessage,
    userKey: string,
  ): Promise<string | undefined> {
    let firstTs: string | undefined;
    for (const part of slackMessageParts(message)) {
      try {
        const ts = await this.post(channel, part);
        firstTs ??= ts;
      } catch (error) {
        const platformError = platformErrorOf(error);
        if (platformError === undefined || !FORMAT_ERRORS.has(platformError)) throw error;
        this.logger.error('platform refused the message form, sending plain text', {
          alarm: MESSAGE_FORMAT_ALARM,
          platform: 'slack',
          code: platformError,
          userKey,
          error,
        });
        for (const plain of slackPlainTextParts(message)) {
          const ts = await this.post(channel, plain);
          firstTs ??= ts;
        }
        return firstTs;
      }
    }
    return firstTs;
  }

  private async post(channel: string, part: SlackMessagePart): Promise<string | undefined> {
    const result = await this.web.chat.postMessage({
      channel,
      text: part.text,
      ...(part.blocks === undefined ? {} : { blocks: part.blocks }),
    });
    return result.ts;
  }

  /**
   * The first two steps of Slack's external upload (files.getUploadURLExternal, then the bytes to the URL it
   * gives), which need nothing of the message. Returns the file's id; a failure is logged, not retried, and
   * the DM goes without its chart.
   */
  private async stageChart(chart: Picture, userKey: string): Promise<string | undefined> {
    try {
      const png = Buffer.from(chart.png);
      const { upload_url: url, file_id: id } = await this.web.files.getUploadURLExternal({
        filename: chart.fileName,
        length: png.length,
        alt_text: chart.altText,
      });
      if (url === undefined || id === undefined)
        throw new Error('files.getUploadURLExternal gave no upload URL');
      const response = await fetch(url, {
        method: 'POST',
        body: png,
        signal: AbortSignal.timeout(this.uploadTimeoutMs),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`Slack's upload URL answered ${response.status}`);
      return id;
    } catch (error) {
      this.chartFailed(error, userKey);
      return undefined;
    }
  }

  /** The last step: files.completeUploadExternal shares the staged chart into the message's thread. */
  private async shareChart(
    posted: { channel: string; ts: string | undefined },
    fileId: string,
    userKey: string,
  ): Promise<void> {
    try {
      await this.web.files.completeUploadExternal({
        files: [{ id: fileId }],
        channel_id: posted.channel,
        ...(posted.ts === undefined ? {} : { thread_ts: posted.ts }),
      });
    } catch (error) {
      this.chartFailed(error, userKey);
    }
  }

  /** The message is delivered by now: a chart that fails is logged (an alarm when it is the credentials). */
  private chartFailed(error: unknown, userKey: string): void {
    const platformError = platformErrorOf(error);
    this.logger.warn('chart upload failed', {
      userKey,
      error,
      ...(platformError !== undefined && OPERATOR_ERRORS.has(platformError)
        ? { alarm: DELIVERY_CREDENTIALS_ALARM, code: platformError }
        : {}),
    });
  }
}

/** Slack's own error code of a failed Web API call (`data.error` of a platform error), if it is one. */
function platformErrorOf(error: unknown): string | undefined {
  const { code, data } = error as { code?: string; data?: { error?: string } };
  return code === ErrorCode.PlatformError ? data?.error : undefined;
}

function slackUserId(userKey: string): string {
  const identity = parseUserKey(userKey);
  if (identity?.platform !== 'slack')
    throw new PermanentDeliveryError(`${userKey} is not a Slack user key (slack:<teamId>:<userId>)`, {
      code: 'bad-user-key',
    });
  return identity.userId;
}
