import { z } from 'zod';
import {
  awsTargetEnv,
  awsTargetFrom,
  resourceNamesEnv,
  resourceNamesFrom,
} from '../shared/config/aws-env.js';
import { logLevelEnv } from '../shared/config/log-env.js';
import { MESSENGER_SECRETS, messengerEnv, messengerSettingsFrom } from '../shared/config/messenger-env.js';
import { parseEnv } from '../shared/config/parse-env.js';

const startEnv = z.object({
  ...awsTargetEnv,
  ...resourceNamesEnv,
  ...messengerEnv,
  ...logLevelEnv,
  STOCKALERT_WATCHER_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  /** The local runner's pause after an empty poll; Lambda polls each shard about once a second. */
  STOCKALERT_POLL_MS: z.coerce.number().int().min(1).max(60_000).default(250),
  STOCKALERT_CONSOLE_USER: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,32}$/, 'expected a short name of letters, digits, dot, dash or underscore')
    .default('you'),
});

export type StartConfig = ReturnType<typeof loadStartConfig>;

/** Configuration of `npm start`, from the environment; throws ConfigError naming each bad variable. */
export function loadStartConfig(env: Readonly<Record<string, string | undefined>>) {
  const parsed = parseEnv(startEnv, env, MESSENGER_SECRETS);
  return {
    aws: awsTargetFrom(parsed),
    names: resourceNamesFrom(parsed),
    dataDir: parsed.STOCKALERT_DATA_DIR,
    logLevel: parsed.STOCKALERT_LOG_LEVEL,
    watcherCacheTtlMs: parsed.STOCKALERT_WATCHER_CACHE_TTL_MS,
    consoleUser: parsed.STOCKALERT_CONSOLE_USER,
    pollMs: parsed.STOCKALERT_POLL_MS,
    messengers: messengerSettingsFrom(parsed),
  };
}
