import type { KnownBlock } from '@slack/web-api';
import { clampText, SLACK_LIMITS } from '../../../shared/domain/platform-limits.js';
import { splitMessage } from '../../../shared/domain/split-text.js';
import type { AlertCard, DirectMessage } from '../../../shared/ports/messenger.js';

const PLAIN_PART_CHARS = 8_000;

/** One chat.postMessage: the notification text and the blocks (none for plain text). */
export interface SlackMessagePart {
  readonly text: string;
  readonly blocks?: KnownBlock[];
}

/**
 * Translates a DirectMessage into Block Kit messages: per alert a headline section, the numbers, and the
 * tuning hint as context, with dividers between; at most 50 blocks, 3,000 characters a text object and
 * 40,000 of `text` per message (SLACK_LIMITS), as many messages as that takes.
 */
export function slackMessageParts(message: DirectMessage): SlackMessagePart[] {
  const cards = message.cards ?? [];
  if (cards.length === 0) {
    // Escaping grows text at most 5× (`&` → `&amp;`), so 8,000 characters stay within 40,000 and 14 sections.
    return splitMessage(message.text, PLAIN_PART_CHARS).map((text) => ({
      text,
      blocks: splitMessage(escapeMrkdwn(text), SLACK_LIMITS.sectionTextChars).map(
        (section): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: section } }),
      ),
    }));
  }
  const groups: AlertCard[][] = [];
  let group: AlertCard[] = [];
  let textChars = 0;
  for (const card of cards) {
    const blocks = group.length === 0 ? 2 : 3;
    const chars = cardText(card).length + 1;
    if (
      group.length > 0 &&
      (blockCount(group.length) + blocks > SLACK_LIMITS.blocksPerMessage ||
        textChars + chars > SLACK_LIMITS.messageTextChars)
    ) {
      groups.push(group);
      group = [];
      textChars = 0;
    }
    group.push(card);
    textChars += chars;
  }
  groups.push(group);
  return groups.map((part) => ({
    // A single part keeps the message's own notification text.
    text:
      groups.length === 1
        ? clampText(message.text, SLACK_LIMITS.messageTextChars)
        : part.map(cardText).join('\n'),
    blocks: part.flatMap(cardBlocks),
  }));
}

/**
 * The message as `text` only, in parts of at most 40,000 characters: the fallback when Slack refuses
 * the blocks (`invalid_blocks`, `msg_too_long`) — a bug to fix, but the user still gets the alert.
 */
export function slackPlainTextParts(message: DirectMessage): SlackMessagePart[] {
  return splitMessage(message.text, SLACK_LIMITS.messageTextChars).map((text) => ({ text }));
}

function blockCount(cards: number): number {
  return cards === 0 ? 0 : cards * 3 - 1;
}

function cardBlocks(card: AlertCard, index: number): KnownBlock[] {
  const icon = card.direction === 'down' ? ':chart_with_downwards_trend:' : ':chart_with_upwards_trend:';
  return [
    ...(index > 0 ? [{ type: 'divider' } as const] : []),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clampSection(`${icon} *${escapeMrkdwn(card.title)}*\n${escapeMrkdwn(card.detail)}`),
      },
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clampSection(escapeMrkdwn(`${card.rule} ${card.tuning}`)) }],
    },
  ];
}

function cardText(card: AlertCard): string {
  return `${card.title} (${card.detail})`;
}

function clampSection(text: string): string {
  return clampText(text, SLACK_LIMITS.sectionTextChars);
}

/** Slack's mrkdwn needs &, < and > escaped. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
