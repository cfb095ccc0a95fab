import { z } from 'zod';

/**
 * Credentials and endpoints for sending DMs. A platform without a token gets no messenger, and its
 * users' alerts are recorded as failed. API URLs are only for tests against local fakes.
 */
export const messengerEnv = {
  DISCORD_BOT_TOKEN: z.string().min(20, 'expected a Discord bot token').optional(),
  DISCORD_API_URL: z.url().optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .startsWith('xoxb-', 'expected a Slack bot token starting with xoxb-')
    .optional(),
  SLACK_API_URL: z.url().optional(),
};

/** Their values never appear in an error message or a log. */
export const MESSENGER_SECRETS: ReadonlySet<string> = new Set(['DISCORD_BOT_TOKEN', 'SLACK_BOT_TOKEN']);

export interface MessengerSettings {
  readonly discord?: { readonly token: string; readonly apiUrl?: string };
  readonly slack?: { readonly token: string; readonly apiUrl?: string };
  /** Per-request timeout of the platform clients; defaults to PLATFORM_REQUEST_TIMEOUT_MS (tests shorten it). */
  readonly requestTimeoutMs?: number;
}

export function messengerSettingsFrom(env: {
  DISCORD_BOT_TOKEN?: string | undefined;
  DISCORD_API_URL?: string | undefined;
  SLACK_BOT_TOKEN?: string | undefined;
  SLACK_API_URL?: string | undefined;
}): MessengerSettings {
  return {
    ...(env.DISCORD_BOT_TOKEN && {
      discord: { token: env.DISCORD_BOT_TOKEN, ...(env.DISCORD_API_URL && { apiUrl: env.DISCORD_API_URL }) },
    }),
    ...(env.SLACK_BOT_TOKEN && {
      slack: { token: env.SLACK_BOT_TOKEN, ...(env.SLACK_API_URL && { apiUrl: env.SLACK_API_URL }) },
    }),
  };
}
