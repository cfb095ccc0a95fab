import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { DirectMessage } from '../../../shared/ports/messenger.js';

const COLORS = { up: 0x1e8e3e, down: 0xd93025 } as const;

/**
 * Translates a DirectMessage into Discord's create-message body: one embed per alert, the chart as an
 * attachment shown in the first embed, and the idempotency key as an enforced nonce, so Discord drops
 * a repeat of the same delivery.
 */
export function discordMessageBody(message: DirectMessage): RESTPostAPIChannelMessageJSONBody {
  const cards = message.cards ?? [];
  const embeds = cards.slice(0, 10).map((card, index) => ({
    title: card.title,
    description: `${card.detail}\n${card.rule}`,
    color: COLORS[card.direction],
    footer: { text: card.tuning },
    ...(index === 0 && message.chart ? { image: { url: `attachment://${message.chart.fileName}` } } : {}),
  }));
  return {
    // The text goes in `content` only when there are no embeds to show it.
    ...(embeds.length === 0 ? { content: message.text.slice(0, 2000) } : { embeds }),
    ...(message.chart
      ? {
          attachments: [
            { id: 0, filename: message.chart.fileName, description: message.chart.altText.slice(0, 1024) },
          ],
        }
      : {}),
    ...(message.idempotencyKey ? { nonce: message.idempotencyKey, enforce_nonce: true } : {}),
  };
}
