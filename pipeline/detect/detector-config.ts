import { z } from 'zod';
import { resourceNamesFrom } from '../../shared/config/aws-env.js';
import { lambdaConnection, lambdaEnv, lambdaToolSettings } from '../../shared/config/lambda-env.js';
import { parseEnv } from '../../shared/config/parse-env.js';
import { DEFAULT_MAX_UNWATCHED_SYMBOLS } from './move-detector.js';

const detectorEnv = z.object({
  ...lambdaEnv,
  STOCKALERT_WATCHER_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** Unwatched symbols the detector keeps state for (least recently traded forgotten first). */
  STOCKALERT_DETECTOR_MAX_UNWATCHED_SYMBOLS: z.coerce
    .number()
    .int()
    .min(100)
    .max(1_000_000)
    .default(DEFAULT_MAX_UNWATCHED_SYMBOLS),
});

/** Configuration of the detector Lambda; throws ConfigError naming each bad variable. */
export function loadDetectorConfig(env: Readonly<Record<string, string | undefined>>) {
  const parsed = parseEnv(detectorEnv, env);
  return {
    connection: lambdaConnection(parsed),
    names: resourceNamesFrom(parsed),
    watcherCacheTtlMs: parsed.STOCKALERT_WATCHER_CACHE_TTL_MS,
    maxUnwatchedSymbols: parsed.STOCKALERT_DETECTOR_MAX_UNWATCHED_SYMBOLS,
    ...lambdaToolSettings(parsed, 'stockalert-detector'),
  };
}
