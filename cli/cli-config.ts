import { z } from 'zod';
import {
  awsTargetEnv,
  awsTargetFrom,
  resourceNamesEnv,
  resourceNamesFrom,
} from '../shared/config/aws-env.js';
import { logLevelEnv } from '../shared/config/log-env.js';
import { parseEnv } from '../shared/config/parse-env.js';

const cliEnv = z.object({
  ...awsTargetEnv,
  ...resourceNamesEnv,
  ...logLevelEnv,
});

export type CliConfig = ReturnType<typeof loadCliConfig>;

/** Configuration shared by the `stockalert` subcommands; throws ConfigError naming each bad variable. */
export function loadCliConfig(env: Readonly<Record<string, string | undefined>>) {
  const parsed = parseEnv(cliEnv, env);
  return {
    aws: awsTargetFrom(parsed),
    names: resourceNamesFrom(parsed),
    dataDir: parsed.STOCKALERT_DATA_DIR,
    logLevel: parsed.STOCKALERT_LOG_LEVEL,
  };
}
