import { DiscordAPIError, type REST } from '@discordjs/rest';
import { type APIChannel, Routes } from 'discord-api-types/v10';
import { parseUserKey } from '../../../shared/domain/user-key.js';
import {
  type DirectMessage,
  type Messenger,
  PermanentDeliveryError,
} from '../../../shared/ports/messenger.js';
import type { RecipientRepository } from '../../../shared/ports/recipient-repository.js';
import { discordMessageBody } from './discord-message-body.js';

/**
 * Discord error codes after which a DM can never succeed: unknown user (10013), cannot send messages
 * to this user (50007), and an unknown or inaccessible DM channel that reopening did not fix.
 */
const PERMANENT_CODES = new Set<number | string>([10013, 50007, 50001]);
const UNKNOWN_CHANNEL = 10003;

/**
 * DMs through Discord's REST API with `@discordjs/rest` (no gateway in a Lambda). The DM channel is
 * opened once per user and cached in the Recipients table. Rate limits (429, `X-RateLimit-*`, the global
 * limit) and 5xx retries are the REST client's job; permanent refusals become PermanentDeliveryError.
 */
export class DiscordMessenger implements Messenger {
  constructor(
    private readonly rest: REST,
    private readonly recipients: RecipientRepository,
  ) {}

  async sendDirect(userKey: string, message: DirectMessage): Promise<void> {
    const userId = discordUserId(userKey);
    try {
      let channelId = await this.recipients.dmChannel(userKey);
      channelId ??= await this.openDm(userKey, userId);
      try {
        await this.post(channelId, message);
      } catch (error) {
        if (!(error instanceof DiscordAPIError) || error.code !== UNKNOWN_CHANNEL) throw error;
        await this.post(await this.openDm(userKey, userId), message);
      }
    } catch (error) {
      if (error instanceof DiscordAPIError && PERMANENT_CODES.has(error.code)) {
        throw new PermanentDeliveryError(`Discord refused the DM to ${userKey}: ${error.message}`, {
          cause: error,
          code: String(error.code),
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

  private async post(channelId: string, message: DirectMessage): Promise<void> {
    await this.rest.post(Routes.channelMessages(channelId), {
      body: discordMessageBody(message),
      ...(message.chart
        ? { files: [{ name: message.chart.fileName, data: Buffer.from(message.chart.png) }] }
        : {}),
    });
  }
}

function discordUserId(userKey: string): string {
  const identity = parseUserKey(userKey);
  if (identity?.platform !== 'discord')
    throw new PermanentDeliveryError(`${userKey} is not a Discord user key (discord:<userId>)`, {
      code: 'bad-user-key',
    });
  return identity.userId;
}
