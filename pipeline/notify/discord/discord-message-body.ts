import { createHash } from 'node:crypto';
import type { APIEmbed, RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { clampText, DISCORD_LIMITS } from '../../../shared/domain/platform-limits.js';
import { splitMessage } from '../../../shared/domain/split-text.js';
import type { AlertCard, DirectMessage } from '../../../shared/ports/messenger.js';

const COLORS = { up: 0x1e8e3e, down: 0xd93025 } as const;

/** One create-message request: the JSON body, and whether the chart goes with it as a file. */
export interface DiscordMessagePart {
  readonly body: RESTPostAPIChannelMessageJSONBody;
  readonly withChart: boolean;
}

/**
 * Translates a DirectMessage into Discord create-message bodies: one embed per alert, at most 10 embeds
 * and 6,000 embed characters per message, as many messages as that takes (DISCORD_LIMITS); the chart is
 * attached to the first and shown in its first embed. Each part carries its own enforced nonce derived
 * from the idempotency key, so Discord drops a repeat of any part.
 */
export function discordMessageParts(message: DirectMessage): DiscordMessagePart[] {
  const cards = message.cards ?? [];
  if (cards.length === 0) return discordPlainTextParts(message, true);
  const groups: APIEmbed[][] = [];
  let group: APIEmbed[] = [];
  let chars = 0;
  for (const card of cards) {
    const embed = embedOf(card);
    const size = embedChars(embed);
    if (
      group.length === DISCORD_LIMITS.embedsPerMessage ||
      chars + size > DISCORD_LIMITS.embedCharsPerMessage
    ) {
      groups.push(group);
      group = [];
      chars = 0;
    }
    group.push(embed);
    chars += size;
  }
  groups.push(group);
  const chart = message.chart;
  return groups.map((embeds, index) => {
    const withChart = index === 0 && chart !== undefined;
    const [first, ...rest] = embeds;
    const shown =
      withChart && first ? [{ ...first, image: { url: `attachment://${chart.fileName}` } }, ...rest] : embeds;
    return {
      body: {
        embeds: shown,
        ...(withChart ? { attachments: [chartAttachment(message)] } : {}),
        ...nonceOf(message, index === 0 ? undefined : `embeds#${index}`),
      },
      withChart,
    };
  });
}

/**
 * The message as plain `content` in parts of at most 2,000 characters: the form for a message without
 * cards, and the fallback when Discord refuses the rich form (50035) — a bug to fix, but the user still
 * gets the alert. The fallback goes without the chart, which may be what Discord refused.
 */
export function discordPlainTextParts(message: DirectMessage, withChart = false): DiscordMessagePart[] {
  return splitMessage(message.text, DISCORD_LIMITS.contentChars).map((content, index) => {
    const attach = withChart && index === 0 && message.chart !== undefined;
    return {
      body: {
        content,
        ...(attach ? { attachments: [chartAttachment(message)] } : {}),
        ...nonceOf(message, withChart && index === 0 ? undefined : `text#${index}`),
      },
      withChart: attach,
    };
  });
}

/** Characters that count against the 6,000 of a message. */
export function embedChars(embed: APIEmbed): number {
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
}

function embedOf(card: AlertCard): APIEmbed {
  return {
    title: clampText(card.title, DISCORD_LIMITS.embedTitleChars),
    description: clampText(`${card.detail}\n${card.rule}`, DISCORD_LIMITS.embedDescriptionChars),
    color: COLORS[card.direction],
    footer: { text: clampText(card.tuning, DISCORD_LIMITS.embedFooterChars) },
  };
}

function chartAttachment(message: DirectMessage) {
  const chart = message.chart as NonNullable<DirectMessage['chart']>;
  return {
    id: 0,
    filename: chart.fileName,
    description: clampText(chart.altText, DISCORD_LIMITS.attachmentDescriptionChars),
  };
}

/** The first part keeps the message's key; later parts get keys derived from it, as short as a nonce must be. */
function nonceOf(
  message: DirectMessage,
  part: string | undefined,
): { nonce?: string; enforce_nonce?: boolean } {
  const key = message.idempotencyKey;
  if (key === undefined) return {};
  const nonce =
    part === undefined
      ? key
      : createHash('sha256').update(`${key}#${part}`).digest('hex').slice(0, DISCORD_LIMITS.nonceChars);
  return { nonce, enforce_nonce: true };
}
