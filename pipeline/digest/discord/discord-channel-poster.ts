import { DiscordAPIError, type REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { Picture } from '../../../shared/ports/messenger.js';
import { type ChannelPoster, ChannelUnreachableError } from '../channel-poster.js';
import type { Digest } from '../digest.js';
import { discordDigestEmbeds } from './discord-digest-embeds.js';

/** Unknown channel (10003), missing access (50001), missing permissions (50013), unknown guild (10004). */
const UNREACHABLE = new Set<number | string>([10003, 10004, 50001, 50013]);

/** Digests to Discord channels through `@discordjs/rest` (the same client as the DM messenger). */
export class DiscordChannelPoster implements ChannelPoster {
  constructor(private readonly rest: REST) {}

  async postDigest(channelId: string, digest: Digest, chart: Picture | undefined): Promise<void> {
    try {
      await this.rest.post(Routes.channelMessages(channelId), {
        body: {
          embeds: discordDigestEmbeds(digest, chart?.fileName),
          ...(chart
            ? {
                attachments: [{ id: 0, filename: chart.fileName, description: chart.altText.slice(0, 1024) }],
              }
            : {}),
        },
        ...(chart ? { files: [{ name: chart.fileName, data: Buffer.from(chart.png) }] } : {}),
      });
    } catch (error) {
      if (error instanceof DiscordAPIError && UNREACHABLE.has(error.code)) {
        throw new ChannelUnreachableError(
          `Discord refused channel ${channelId}: ${error.message}`,
          String(error.code),
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }
}
