import { z } from 'zod';
import {
  awsTargetEnv,
  awsTargetFrom,
  resourceNamesEnv,
  resourceNamesFrom,
} from '../shared/config/aws-env.js';
import { FEED_SECRETS, feedEnv, feedSettingsFrom } from '../shared/config/feed-env.js';
import { logLevelEnv } from '../shared/config/log-env.js';
import { parseEnv } from '../shared/config/parse-env.js';

const feedCommandEnv = z.object({ ...awsTargetEnv, ...resourceNamesEnv, ...logLevelEnv, ...feedEnv });

/** Configuration of `stockalert feed alpaca`; throws ConfigError naming each bad variable (keys hidden). */
export function loadFeedConfig(env: Readonly<Record<string, string | undefined>>) {
  const parsed = parseEnv(feedCommandEnv, env, FEED_SECRETS);
  return {
    aws: awsTargetFrom(parsed),
    names: resourceNamesFrom(parsed),
    dataDir: parsed.STOCKALERT_DATA_DIR,
    logLevel: parsed.STOCKALERT_LOG_LEVEL,
    feed: feedSettingsFrom(parsed),
  };
}
