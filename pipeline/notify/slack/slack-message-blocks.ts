import type { KnownBlock } from '@slack/web-api';
import type { DirectMessage } from '../../../shared/ports/messenger.js';

/**
 * Translates a DirectMessage into Block Kit: per alert a headline section, the numbers, and the tuning
 * hint as context. `text` stays the notification fallback.
 */
export function slackMessageBlocks(message: DirectMessage): KnownBlock[] {
  const cards = message.cards ?? [];
  if (cards.length === 0)
    return [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(message.text) } }];
  return cards.flatMap((card, index): KnownBlock[] => [
    ...(index > 0 ? [{ type: 'divider' } as const] : []),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${card.direction === 'down' ? ':chart_with_downwards_trend:' : ':chart_with_upwards_trend:'} *${escapeMrkdwn(card.title)}*\n${escapeMrkdwn(card.detail)}`,
      },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(`${card.rule} ${card.tuning}`) }] },
  ]);
}

/** Slack's mrkdwn needs &, < and > escaped. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
