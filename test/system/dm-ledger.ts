import type { APIEmbed } from 'discord-api-types/v10';
import { alertCard } from '../../pipeline/notify/alert-message.js';
import type { Alert } from '../../shared/domain/alert.js';
import { dmRecipientOf, type FakeDiscord } from '../fakes/fake-discord.js';
import { FAKE_SLACK_TEAM_ID, type FakeSlack } from '../fakes/fake-slack.js';
import type { CrashWindow } from './crash-window.js';

/** One alert as a user saw it on a platform: who, what the card said, and when the platform got it. */
export interface DeliveredCard {
  readonly userKey: string;
  readonly fingerprint: string;
  readonly receivedAt: number;
}

/**
 * What identifies an alert in a DM: the recipient and the card's headline, prices and times, and rule.
 * Computed the same way from an expected Alert and from a message the fake platform received, so the
 * verdict compares what users saw, not what the pipeline says it did.
 */
export function fingerprintOf(userKey: string, title: string, detail: string, rule: string): string {
  return `${userKey}|${title}|${detail}|${rule}`;
}

export function expectedFingerprint(alert: Alert): string {
  const card = alertCard(alert);
  return fingerprintOf(alert.userKey, card.title, card.detail, card.rule);
}

/** Every alert card the fake Discord and the fake Slack accepted, in arrival order. */
export function deliveredCards(discord: FakeDiscord, slack: FakeSlack): DeliveredCard[] {
  const cards: DeliveredCard[] = [];
  for (const [channelId, messages] of discord.messages) {
    const userKey = `discord:${dmRecipientOf(channelId)}`;
    for (const message of messages) {
      const receivedAt = Date.parse(message.timestamp);
      for (const embed of message.embeds as APIEmbed[]) {
        const [detail = '', rule = ''] = (embed.description ?? '').split('\n');
        cards.push({
          userKey,
          fingerprint: fingerprintOf(userKey, embed.title ?? '', detail, rule),
          receivedAt,
        });
      }
    }
  }
  for (const call of slack.http.callsTo('POST', /^\/api\/chat\.postMessage$/)) {
    const answer = call.response?.body as { ok?: boolean } | undefined;
    if (call.response?.status !== 200 || answer?.ok !== true) continue;
    const body = call.body as { channel: string; blocks?: string };
    const userKey = `slack:${FAKE_SLACK_TEAM_ID}:U${body.channel.slice(1)}`;
    cards.push(...slackCards(userKey, body.blocks, call.receivedAt));
  }
  return cards.sort((a, b) => a.receivedAt - b.receivedAt);
}

interface SlackBlock {
  readonly type: string;
  readonly text?: { readonly text: string };
  readonly elements?: readonly { readonly text: string }[];
}

function slackCards(userKey: string, blocksJson: string | undefined, receivedAt: number): DeliveredCard[] {
  const blocks = JSON.parse(blocksJson ?? '[]') as SlackBlock[];
  const cards: DeliveredCard[] = [];
  blocks.forEach((block, index) => {
    if (block.type !== 'section') return;
    const headline = /^:\w+: \*(.*)\*\n(.*)$/s.exec(unescapeMrkdwn(block.text?.text ?? ''));
    const context = unescapeMrkdwn(blocks[index + 1]?.elements?.[0]?.text ?? '');
    const rule = context.split(' Tune it with')[0] ?? '';
    if (headline)
      cards.push({
        userKey,
        fingerprint: fingerprintOf(userKey, headline[1] ?? '', headline[2] ?? '', rule),
        receivedAt,
      });
  });
  return cards;
}

function unescapeMrkdwn(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

export interface Verdict {
  readonly expected: number;
  readonly delivered: number;
  /** Expected, never delivered. */
  readonly lost: number;
  /** Delivered more often than expected, outside Slack's documented send-then-crash window. */
  readonly duplicated: number;
  /** Slack repeats of an alert whose delivery was in flight (claimed, not recorded) when the runner was killed: one per such claim. */
  readonly slackCrashWindowDuplicates: number;
  /** Delivered, never expected. */
  readonly spurious: number;
  readonly examples: readonly string[];
}

/**
 * Compares delivered cards with the expected alerts as multisets of fingerprints. A Slack repeat of an
 * alert is counted apart, as Slack's documented window (it has no idempotency key), up to the number of
 * claims of that alert that a kill abandoned (`crashWindow`); any other repeat is a duplicate.
 */
export function verdictOf(
  expected: readonly Alert[],
  delivered: readonly DeliveredCard[],
  crashWindow: CrashWindow,
): Verdict {
  const want = new Map<string, number>();
  for (const alert of expected) {
    const key = expectedFingerprint(alert);
    want.set(key, (want.get(key) ?? 0) + 1);
  }
  const got = new Map<string, number>();
  const receipts = new Map<string, number[]>();
  for (const card of delivered) {
    got.set(card.fingerprint, (got.get(card.fingerprint) ?? 0) + 1);
    receipts.set(card.fingerprint, [...(receipts.get(card.fingerprint) ?? []), card.receivedAt]);
  }
  // When each copy arrived, to set beside the harness's kill times when tracing a repeat.
  const arrivals = (key: string) =>
    (receipts.get(key) ?? []).map((at) => new Date(at).toISOString().slice(11, 23)).join(', ');
  let lost = 0;
  let duplicated = 0;
  let slackCrashWindowDuplicates = 0;
  let spurious = 0;
  // Duplicates and spurious cards first: they are the rarer and the more telling.
  const examples: string[] = [];
  const lostExamples: string[] = [];
  for (const [key, count] of want) {
    const seen = got.get(key) ?? 0;
    if (seen < count) {
      lost += count - seen;
      if (lostExamples.length < 10) lostExamples.push(`lost: ${key}`);
    }
  }
  for (const [key, seen] of got) {
    const count = want.get(key) ?? 0;
    if (count === 0) {
      spurious += seen;
      if (examples.length < 10) examples.push(`spurious: ${key}`);
    } else if (seen > count) {
      const windows = key.startsWith('slack:') ? (crashWindow.get(key)?.size ?? 0) : 0;
      const allowed = Math.min(seen - count, windows);
      slackCrashWindowDuplicates += allowed;
      duplicated += seen - count - allowed;
      if (seen - count - allowed > 0 && examples.length < 10)
        examples.push(`duplicated: ${key} (received ${arrivals(key)})`);
    }
  }
  examples.push(...lostExamples.slice(0, Math.max(0, 10 - examples.length)));
  return {
    expected: expected.length,
    delivered: delivered.length,
    lost,
    duplicated,
    slackCrashWindowDuplicates,
    spurious,
    examples,
  };
}
