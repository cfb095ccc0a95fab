import type { KnownBlock } from '@slack/web-api';
import type { DirectMessage } from '../../../shared/ports/messenger.js';

/**
 * Translates a DirectMessage into Block Kit: per alert a headline section, the numbers, and the tuning
 * hint as context. `text` stays the notification fallback.
 */
export function slackMessageBlocks(message: DirectMessage): KnownBlock[] {
  const cards = message.cards ?? [];
  if (cards.length === 0) return [{ type: 'section', text: { type: 'mrkdwn', text: escape(message.text) } }];
  return cards.flatMap((card, index): KnownBlock[] => [
    ...(index > 0 ? [{ type: 'divider' } as const] : []),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${card.direction === 'down' ? ':chart_with_downwards_trend:' : ':chart_with_upwards_trend:'} *${escape(card.title)}*\n${escape(card.detail)}`,
      },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: escape(`${card.rule} ${card.tuning}`) }] },
  ]);
}

/** Slack's mrkdwn needs &, < and > escaped. */
function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
