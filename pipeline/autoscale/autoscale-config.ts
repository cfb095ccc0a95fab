import { z } from 'zod';
import { lambdaConnection, lambdaEnv, lambdaToolSettings } from '../../shared/config/lambda-env.js';
import { parseEnv } from '../../shared/config/parse-env.js';
import { DEFAULT_RESHARD_POLICY, type ReshardPolicy } from './reshard-decision.js';

const autoscaleEnv = z
  .object({
    AWS_REGION: lambdaEnv.AWS_REGION,
    AWS_ENDPOINT_URL: lambdaEnv.AWS_ENDPOINT_URL,
    AWS_ENDPOINT_URL_KINESIS: lambdaEnv.AWS_ENDPOINT_URL_KINESIS,
    AWS_ENDPOINT_URL_CLOUDWATCH: lambdaEnv.AWS_ENDPOINT_URL_CLOUDWATCH,
    POWERTOOLS_SERVICE_NAME: lambdaEnv.POWERTOOLS_SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: lambdaEnv.POWERTOOLS_METRICS_NAMESPACE,
    STOCKALERT_TRADES_STREAM: lambdaEnv.STOCKALERT_TRADES_STREAM,
    STOCKALERT_AUTOSCALE_MIN_SHARDS: z.coerce.number().int().min(1).default(DEFAULT_RESHARD_POLICY.minShards),
    STOCKALERT_AUTOSCALE_MAX_SHARDS: z.coerce.number().int().min(1).default(DEFAULT_RESHARD_POLICY.maxShards),
    STOCKALERT_AUTOSCALE_COOLDOWN_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(DEFAULT_RESHARD_POLICY.cooldownMs / 1000),
  })
  .refine((env) => env.STOCKALERT_AUTOSCALE_MIN_SHARDS <= env.STOCKALERT_AUTOSCALE_MAX_SHARDS, {
    path: ['STOCKALERT_AUTOSCALE_MIN_SHARDS'],
    message: 'must not exceed STOCKALERT_AUTOSCALE_MAX_SHARDS',
  });

/** Configuration of the shard autoscaler Lambda; throws ConfigError naming each bad variable. */
export function loadAutoscaleConfig(env: Readonly<Record<string, string | undefined>>) {
  const parsed = parseEnv(autoscaleEnv, env);
  const policy: ReshardPolicy = {
    ...DEFAULT_RESHARD_POLICY,
    minShards: parsed.STOCKALERT_AUTOSCALE_MIN_SHARDS,
    maxShards: parsed.STOCKALERT_AUTOSCALE_MAX_SHARDS,
    cooldownMs: parsed.STOCKALERT_AUTOSCALE_COOLDOWN_SECONDS * 1000,
  };
  return {
    connection: lambdaConnection(parsed),
    streamName: parsed.STOCKALERT_TRADES_STREAM,
    policy,
    ...lambdaToolSettings(parsed, 'stockalert-autoscaler'),
  };
}
