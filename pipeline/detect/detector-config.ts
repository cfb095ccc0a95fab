import { z } from 'zod';
import { resourceNamesFrom } from '../../shared/config/aws-env.js';
import { lambdaConnection, lambdaEnv, lambdaToolSettings } from '../../shared/config/lambda-env.js';
import { parseEnv } from '../../shared/config/parse-env.js';

const detectorEnv = z.object({
  ...lambdaEnv,
  STOCKALERT_WATCHER_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
});

/** Configuration of the detector Lambda; throws ConfigError naming each bad variable. */
export function loadDetectorConfig(env: Readonly<Record<string, string | undefined>>) {
  const parsed = parseEnv(detectorEnv, env);
  return {
    connection: lambdaConnection(parsed),
    names: resourceNamesFrom(parsed),
    watcherCacheTtlMs: parsed.STOCKALERT_WATCHER_CACHE_TTL_MS,
    ...lambdaToolSettings(parsed, 'stockalert-detector'),
  };
}
