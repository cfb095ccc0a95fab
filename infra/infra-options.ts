import type { Node } from 'constructs';
import { z } from 'zod';

/**
 * The CDK app's context switches (`cdk deploy -c streamMode=on-demand`, or `cdk.json`). Parsed once,
 * here; a bad value stops synthesis with a message naming the key and what it accepts.
 */
const infraContext = z.object({
  /** `provisioned` (shard-count parameters, the autoscaler) or `on-demand` (Kinesis scales; no autoscaler). */
  streamMode: z.enum(['provisioned', 'on-demand']).default('provisioned'),
  /** `efo`: an enhanced fan-out consumer pushes records (about 70 ms); `polling`: shared throughput, about 1 s. */
  detectorReader: z.enum(['efo', 'polling']).default('efo'),
  /** A prebuilt bot image (e.g. in ECR). Without it the image is built from the repo's Dockerfile at deploy time. */
  botImageUri: z.string().min(1).optional(),
  /** Chat platforms the bot serves (comma-separated); each gets its secrets, and the bot only its own. */
  platforms: z
    .string()
    .default('discord,slack')
    .transform((text) => text.split(',').map((name) => name.trim()))
    .pipe(z.array(z.enum(['discord', 'slack'])).min(1)),
  /** `alpaca` adds the live feed connector as a second Fargate service. */
  feed: z.enum(['none', 'alpaca']).default('none'),
  /** EventBridge Scheduler expression (America/New_York) of the digest tick; the digest finds the due channels. */
  digestSchedule: z.string().min(1).default('cron(0/15 * * * ? *)'),
  /** The autoscaler's tick. */
  autoscaleSchedule: z.string().min(1).default('rate(5 minutes)'),
  /** Bounds of the trades stream's open shards under the autoscaler. */
  minShards: z.coerce.number().int().min(1).default(1),
  maxShards: z.coerce.number().int().min(1).max(500).default(32),
  /** Subscribed to the alarm topic when set. */
  alarmEmail: z.email().optional(),
});

export type InfraOptions = z.infer<typeof infraContext>;

export const INFRA_CONTEXT_KEYS = Object.keys(infraContext.shape) as (keyof InfraOptions)[];

/** Reads every switch from the construct tree's context; throws an Error naming each bad key. */
export function loadInfraOptions(node: Node): InfraOptions {
  const raw = Object.fromEntries(
    INFRA_CONTEXT_KEYS.map((key) => [key, node.tryGetContext(key)]).filter(
      ([, value]) => value !== undefined,
    ),
  );
  const parsed = infraContext.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `-c ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid CDK context:\n${problems.join('\n')}`);
  }
  if (parsed.data.minShards > parsed.data.maxShards) {
    throw new Error(
      `invalid CDK context: minShards (${parsed.data.minShards}) exceeds maxShards (${parsed.data.maxShards})`,
    );
  }
  return parsed.data;
}
