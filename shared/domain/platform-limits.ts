/**
 * The one place the chat platforms' message limits live, with their numbers, for the notifier's DMs
 * and the bot's replies. What does not fit is split into several messages, never dropped.
 */

/** Discord (https://discord.com/developers/docs/resources/message#create-message, …/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = {
  /** Characters of a message's `content`. */
  contentChars: 2_000,
  /** Embeds per message; Discord silently keeps only the first 10. */
  embedsPerMessage: 10,
  /** Characters of all embeds of one message together (titles, descriptions, footers, fields…). */
  embedCharsPerMessage: 6_000,
  embedTitleChars: 256,
  embedDescriptionChars: 4_096,
  embedFooterChars: 2_048,
  /** Files attached to one message. */
  attachmentsPerMessage: 10,
  attachmentDescriptionChars: 1_024,
  /** A message nonce is at most 25 characters. */
  nonceChars: 25,
} as const;

/** Slack (https://api.slack.com/reference/block-kit/blocks, https://api.slack.com/methods/chat.postMessage). */
export const SLACK_LIMITS = {
  /** Blocks per message. */
  blocksPerMessage: 50,
  /** Characters of a section's text (and of any one text object, context elements included). */
  sectionTextChars: 3_000,
  /** Characters of a message's `text`; longer fails with `msg_too_long`. */
  messageTextChars: 40_000,
  /** Elements of one context block. */
  contextElements: 10,
} as const;

/**
 * Alerts in one DM. Discord shows one embed per alert and keeps at most 10; Slack uses 3 blocks per
 * alert (section, context, divider between), so 17 fit in 50. The tighter of the two; an alert's card
 * is at most a few hundred characters (the alert event schema bounds its fields), so 10 stay far below
 * 6,000 characters on Discord and 40,000 on Slack.
 */
export const MAX_ALERTS_PER_MESSAGE = Math.min(
  DISCORD_LIMITS.embedsPerMessage,
  Math.floor((SLACK_LIMITS.blocksPerMessage + 1) / 3),
);

/** `text` cut to `max` characters, ending in `…` when cut. */
export function clampText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Each platform request is abandoned after this long (the Slack WebClient's default is none, so a hung
 * connection held a Lambda to its own timeout); the clients' retry policies then apply as to any failure.
 */
export const PLATFORM_REQUEST_TIMEOUT_MS = 10_000;
