import { DiscordAPIError, type REST } from '@discordjs/rest';
import { type APIChannel, Routes } from 'discord-api-types/v10';
import { parseUserKey } from '../../../shared/domain/user-key.js';
import type { Logger } from '../../../shared/ports/logger.js';
import {
  type DirectMessage,
  MESSAGE_FORMAT_ALARM,
  type Messenger,
  OperatorDeliveryError,
  PermanentDeliveryError,
} from '../../../shared/ports/messenger.js';
import type { RecipientRepository } from '../../../shared/ports/recipient-repository.js';
import { DmChannelOpens } from '../dm-channel-opens.js';
import {
  type DiscordMessagePart,
  discordMessageParts,
  discordPlainTextParts,
} from './discord-message-body.js';

/**
 * Discord error codes after which a DM can never succeed: unknown user (10013), cannot send messages
 * to this user (50007), and an unknown or inaccessible DM channel that reopening did not fix.
 */
const PERMANENT_CODES = new Set<number | string>([10013, 50007, 50001]);
const UNKNOWN_CHANNEL = 10003;
/** Invalid Form Body: the message breaks a limit or a field rule. Our bug, never transient. */
const INVALID_FORM_BODY = 50035;

/**
 * DMs through Discord's REST API with `@discordjs/rest` (no gateway in a Lambda). The DM channel is
 * opened once per user and cached in the Recipients table. Rate limits (429, `X-RateLimit-*`, the global
 * limit) and 5xx retries are the REST client's job; permanent refusals become PermanentDeliveryError, a
 * refused bot token (401) an OperatorDeliveryError, and a refused message form (50035) is logged as the
 * bug it is and sent again as plain text.
 */
export class DiscordMessenger implements Messenger {
  private readonly opens = new DmChannelOpens((userKey) => this.openDm(userKey, discordUserId(userKey)));
  /**
   * Discord's 401, once seen: `@discordjs/rest` then forgets the token, and every later request fails with a
   * plain "Expected token to be set" error that would pass for a transient one. A rotated token builds a new
   * messenger (messenger-secrets.ts).
   */
  private refusedToken: DiscordAPIError | undefined;

  constructor(
    private readonly rest: REST,
    private readonly recipients: RecipientRepository,
    private readonly logger?: Logger,
  ) {}

  async warm(): Promise<void> {
    try {
      await this.rest.get(Routes.user('@me'));
    } catch (error) {
      if (error instanceof DiscordAPIError && error.status === 401) this.refusedToken = error;
      this.logger?.warn('discord not reachable at start-up; the first DM will try again', { error });
    }
  }

  async prepareDirect(userKey: string): Promise<void> {
    try {
      if ((await this.recipients.dmChannel(userKey)) === undefined) await this.opens.prepare(userKey);
    } catch {
      // The send reads and reports it.
    }
  }

  async sendDirect(userKey: string, message: DirectMessage): Promise<undefined> {
    const userId = discordUserId(userKey);
    if (this.refusedToken !== undefined) throw tokenRefused(this.refusedToken);
    try {
      let channelId = await this.recipients.dmChannel(userKey);
      channelId ??= await this.opens.take(userKey);
      try {
        await this.postAll(channelId, message, userKey);
      } catch (error) {
        if (!(error instanceof DiscordAPIError) || error.code !== UNKNOWN_CHANNEL) throw error;
        await this.postAll(await this.openDm(userKey, userId), message, userKey);
      }
    } catch (error) {
      if (error instanceof DiscordAPIError && error.status === 401) {
        this.refusedToken = error;
        throw tokenRefused(error);
      }
      if (error instanceof DiscordAPIError && PERMANENT_CODES.has(error.code)) {
        throw new PermanentDeliveryError(`Discord refused the DM to ${userKey}: ${error.message}`, {
          cause: error,
          code: String(error.code),
        });
      }
      if (error instanceof DiscordAPIError && error.code === INVALID_FORM_BODY) {
        throw new PermanentDeliveryError(`Discord refused even the plain-text DM: ${error.message}`, {
          cause: error,
          code: String(error.code),
          scope: 'message',
        });
      }
      throw error;
    }
  }

  private async openDm(userKey: string, userId: string): Promise<string> {
    const channel = (await this.rest.post(Routes.userChannels(), {
      body: { recipient_id: userId },
    })) as APIChannel;
    await this.recipients.saveDmChannel(userKey, channel.id);
    return channel.id;
  }

  /** Posts every part in order; when Discord refuses the form, the rest goes as plain text. */
  private async postAll(channelId: string, message: DirectMessage, userKey: string): Promise<void> {
    const parts = discordMessageParts(message);
    for (const part of parts) {
      try {
        await this.post(channelId, message, part);
      } catch (error) {
        if (!(error instanceof DiscordAPIError) || error.code !== INVALID_FORM_BODY) throw error;
        this.logger?.error('platform refused the message form, sending plain text', {
          alarm: MESSAGE_FORMAT_ALARM,
          platform: 'discord',
          code: INVALID_FORM_BODY,
          userKey,
          error,
        });
        for (const plain of discordPlainTextParts(message)) await this.post(channelId, message, plain);
        return;
      }
    }
  }

  private async post(channelId: string, message: DirectMessage, part: DiscordMessagePart): Promise<void> {
    const chart = message.chart;
    await this.rest.post(Routes.channelMessages(channelId), {
      body: part.body,
      ...(part.withChart && chart ? { files: [{ name: chart.fileName, data: Buffer.from(chart.png) }] } : {}),
    });
  }
}

function tokenRefused(error: DiscordAPIError): OperatorDeliveryError {
  return new OperatorDeliveryError(`Discord refused the bot token: ${error.message}`, 'discord', '401', {
    cause: error,
  });
}

function discordUserId(userKey: string): string {
  const identity = parseUserKey(userKey);
  if (identity?.platform !== 'discord')
    throw new PermanentDeliveryError(`${userKey} is not a Discord user key (discord:<userId>)`, {
      code: 'bad-user-key',
    });
  return identity.userId;
}
