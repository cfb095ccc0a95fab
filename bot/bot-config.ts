import { z } from 'zod';
import {
  awsTargetEnv,
  awsTargetFrom,
  resourceNamesEnv,
  resourceNamesFrom,
} from '../shared/config/aws-env.js';
import { logLevelEnv } from '../shared/config/log-env.js';
import { parseEnv } from '../shared/config/parse-env.js';
import { DEFAULT_MAX_WATCHES_PER_USER } from '../shared/domain/watch.js';
import type { SlackConnection } from './slack/slack-bot.js';

/** Variables whose values must never be printed, not even in a config error. */
const SECRET_VARIABLES = new Set([
  'DISCORD_BOT_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
]);

const optionalText = z
  .string()
  .transform((text) => text.trim())
  .transform((text) => (text === '' ? undefined : text))
  .optional();

/** The chat platforms' variables: each platform starts when its credentials are present. */
const platformsEnv = z
  .object({
    DISCORD_BOT_TOKEN: optionalText.refine(
      (token) => token === undefined || !/^Bot\s/i.test(token),
      'put the token alone, without the "Bot " prefix (Developer Portal → your app → Bot → Reset Token)',
    ),
    DISCORD_API_URL: z.url({ message: 'expected a URL such as https://discord.com/api' }).optional(),
    SLACK_BOT_TOKEN: optionalText.refine(
      (token) => token === undefined || token.startsWith('xoxb-'),
      'expected the Bot User OAuth Token, starting with "xoxb-" (Slack app → OAuth & Permissions)',
    ),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText.refine(
      (token) => token === undefined || token.startsWith('xapp-'),
      'expected an app-level token starting with "xapp-" (Slack app → Basic Information → App-Level Tokens, scope connections:write)',
    ),
    STOCKALERT_SLACK_MODE: z.enum(['socket', 'http']).optional(),
    SLACK_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    SLACK_API_URL: z.url({ message: 'expected a URL such as https://slack.com/api/' }).optional(),
    STOCKALERT_MAX_WATCHES_PER_USER: z.coerce
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(DEFAULT_MAX_WATCHES_PER_USER),
  })
  .superRefine((env, context) => {
    if (env.SLACK_BOT_TOKEN === undefined) return;
    const mode = env.STOCKALERT_SLACK_MODE ?? (env.SLACK_APP_TOKEN === undefined ? 'http' : 'socket');
    if (mode === 'socket' && env.SLACK_APP_TOKEN === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['SLACK_APP_TOKEN'],
        message: 'Socket Mode needs an app-level token (xapp-…); set it, or set STOCKALERT_SLACK_MODE=http',
      });
    }
    if (mode === 'http' && env.SLACK_SIGNING_SECRET === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message:
          'the HTTP receiver needs the signing secret (Slack app → Basic Information → Signing Secret); or set SLACK_APP_TOKEN for Socket Mode',
      });
    }
  });

const botEnv = z.object({
  ...awsTargetEnv,
  ...resourceNamesEnv,
  ...logLevelEnv,
});

export interface ChatPlatformsConfig {
  readonly discord?: { readonly token: string; readonly apiUrl?: string };
  readonly slack?: {
    readonly botToken: string;
    readonly connection: SlackConnection;
    readonly apiUrl?: string;
  };
  readonly maxWatchesPerUser: number;
}

/**
 * The chat platforms configured in `env` (none is fine: `npm start` then keeps to the console). Throws
 * ConfigError naming each bad variable; the values of tokens and secrets never appear in the message.
 */
export function loadChatPlatformsConfig(
  env: Readonly<Record<string, string | undefined>>,
): ChatPlatformsConfig {
  const parsed = parseEnv(platformsEnv, env, SECRET_VARIABLES);
  const slackMode =
    parsed.STOCKALERT_SLACK_MODE ?? (parsed.SLACK_APP_TOKEN === undefined ? 'http' : 'socket');
  const slackConnection: SlackConnection | undefined =
    slackMode === 'socket'
      ? parsed.SLACK_APP_TOKEN === undefined
        ? undefined
        : { kind: 'socket', appToken: parsed.SLACK_APP_TOKEN }
      : parsed.SLACK_SIGNING_SECRET === undefined
        ? undefined
        : { kind: 'http', signingSecret: parsed.SLACK_SIGNING_SECRET, port: parsed.SLACK_PORT };
  return {
    ...(parsed.DISCORD_BOT_TOKEN === undefined
      ? {}
      : {
          discord: {
            token: parsed.DISCORD_BOT_TOKEN,
            ...(parsed.DISCORD_API_URL === undefined ? {} : { apiUrl: parsed.DISCORD_API_URL }),
          },
        }),
    ...(parsed.SLACK_BOT_TOKEN === undefined || slackConnection === undefined
      ? {}
      : {
          slack: {
            botToken: parsed.SLACK_BOT_TOKEN,
            connection: slackConnection,
            ...(parsed.SLACK_API_URL === undefined ? {} : { apiUrl: parsed.SLACK_API_URL }),
          },
        }),
    maxWatchesPerUser: parsed.STOCKALERT_MAX_WATCHES_PER_USER,
  };
}

export type BotConfig = ReturnType<typeof loadBotConfig>;

/** Configuration of `npm run bot`: the platforms plus where AWS is. */
export function loadBotConfig(env: Readonly<Record<string, string | undefined>>) {
  const platforms = loadChatPlatformsConfig(env);
  const parsed = parseEnv(botEnv, env, SECRET_VARIABLES);
  return {
    platforms,
    aws: awsTargetFrom(parsed),
    names: resourceNamesFrom(parsed),
    dataDir: parsed.STOCKALERT_DATA_DIR,
    logLevel: parsed.STOCKALERT_LOG_LEVEL,
  };
}
