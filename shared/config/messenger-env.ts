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

/**
 * In the cloud the tokens live in Secrets Manager: these name the secrets (ARN or name; the secret's
 * value is the token itself). A token in env wins, so local runs need no secret.
 */
export const messengerSecretEnv = {
  DISCORD_BOT_TOKEN_SECRET_ARN: z.string().min(1).optional(),
  SLACK_BOT_TOKEN_SECRET_ARN: z.string().min(1).optional(),
  STOCKALERT_SECRETS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
};

/** A platform token to read from Secrets Manager, and the API URL to use it with. */
export interface SecretToken {
  readonly secretId: string;
  readonly apiUrl?: string;
}

/** Which platform tokens to read from Secrets Manager, and how long a read value is cached. */
export interface MessengerSecretRefs {
  readonly discord?: SecretToken;
  readonly slack?: SecretToken;
  readonly maxAgeSeconds: number;
}

export function messengerSecretRefsFrom(env: {
  DISCORD_BOT_TOKEN?: string | undefined;
  DISCORD_API_URL?: string | undefined;
  SLACK_BOT_TOKEN?: string | undefined;
  SLACK_API_URL?: string | undefined;
  DISCORD_BOT_TOKEN_SECRET_ARN?: string | undefined;
  SLACK_BOT_TOKEN_SECRET_ARN?: string | undefined;
  STOCKALERT_SECRETS_MAX_AGE_SECONDS: number;
}): MessengerSecretRefs {
  const ref = (secretId: string | undefined, apiUrl: string | undefined) =>
    secretId === undefined ? undefined : { secretId, ...(apiUrl && { apiUrl }) };
  const discord = env.DISCORD_BOT_TOKEN
    ? undefined
    : ref(env.DISCORD_BOT_TOKEN_SECRET_ARN, env.DISCORD_API_URL);
  const slack = env.SLACK_BOT_TOKEN ? undefined : ref(env.SLACK_BOT_TOKEN_SECRET_ARN, env.SLACK_API_URL);
  return {
    maxAgeSeconds: env.STOCKALERT_SECRETS_MAX_AGE_SECONDS,
    ...(discord && { discord }),
    ...(slack && { slack }),
  };
}
