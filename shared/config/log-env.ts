import { z } from 'zod';
import { LOG_LEVELS } from '../log/json-lines-logger.js';

/** How much local runs log (Lambdas use Powertools' own POWERTOOLS_LOG_LEVEL). */
export const logLevelEnv = {
  STOCKALERT_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
};
