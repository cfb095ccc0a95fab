import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discordMessageParts, embedChars } from '../../pipeline/notify/discord/discord-message-body.js';
import { slackMessageParts } from '../../pipeline/notify/slack/slack-message-blocks.js';
import { DISCORD_LIMITS, SLACK_LIMITS } from '../../shared/domain/platform-limits.js';
import type { AlertCard, DirectMessage } from '../../shared/ports/messenger.js';

const RUNS = { numRuns: 150 };

const card: fc.Arbitrary<AlertCard> = fc.record({
  title: fc.string({ minLength: 1, maxLength: 400 }),
  detail: fc.string({ maxLength: 5_000 }),
  rule: fc.string({ maxLength: 200 }),
  tuning: fc.string({ maxLength: 3_000 }),
  direction: fc.constantFrom('up' as const, 'down' as const),
  escalation: fc.boolean(),
});

const message: fc.Arbitrary<DirectMessage> = fc.record({
  text: fc.string({ maxLength: 50_000 }),
  cards: fc.array(card, { maxLength: 60 }),
  idempotencyKey: fc.stringMatching(/^[0-9a-f]{25}$/),
});

describe('DM parts stay within the platform limits and drop no alert (properties)', () => {
  it('Discord: at most 10 embeds and 6,000 embed characters or 2,000 of content per message, one embed per alert', () => {
    fc.assert(
      fc.property(message, (dm) => {
        const parts = discordMessageParts(dm);
        for (const { body } of parts) {
          const embeds = body.embeds ?? [];
          expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
          expect(embeds.reduce((sum, embed) => sum + embedChars(embed), 0)).toBeLessThanOrEqual(
            DISCORD_LIMITS.embedCharsPerMessage,
          );
          expect(body.content?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.contentChars);
          expect(String(body.nonce).length).toBeLessThanOrEqual(DISCORD_LIMITS.nonceChars);
        }
        expect(new Set(parts.map((part) => part.body.nonce)).size).toBe(parts.length);
        const embedCount = parts.reduce((sum, part) => sum + (part.body.embeds?.length ?? 0), 0);
        expect(embedCount).toBe(dm.cards?.length ?? 0);
      }),
      RUNS,
    );
  });

  it('Slack: at most 50 blocks, 3,000 characters a text and 40,000 of text per message, every alert shown', () => {
    fc.assert(
      fc.property(message, (dm) => {
        const parts = slackMessageParts(dm);
        for (const part of parts) {
          const blocks = (part.blocks ?? []) as {
            type: string;
            text?: { text: string };
            elements?: { text: string }[];
          }[];
          expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
          for (const block of blocks) {
            expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionTextChars);
            for (const element of block.elements ?? [])
              expect(element.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionTextChars);
          }
          expect(part.text.length).toBeLessThanOrEqual(SLACK_LIMITS.messageTextChars);
        }
        const sections = parts
          .flatMap((part) => part.blocks ?? [])
          .filter((block) => block.type === 'context');
        expect(sections.length).toBe(dm.cards?.length ?? 0);
      }),
      RUNS,
    );
  });
});
