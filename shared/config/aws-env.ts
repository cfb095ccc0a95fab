import { z } from 'zod';
import { DEFAULT_RESOURCE_NAMES, type ResourceNames } from '../aws/resources.js';

/** Env variables naming the AWS resources; the CDK app sets them on every Lambda. */
export const resourceNamesEnv = {
  STOCKALERT_TRADES_STREAM: z.string().min(1).default(DEFAULT_RESOURCE_NAMES.tradesStream),
  STOCKALERT_ALERTS_STREAM: z.string().min(1).default(DEFAULT_RESOURCE_NAMES.alertsStream),
  STOCKALERT_WATCHES_TABLE: z.string().min(1).default(DEFAULT_RESOURCE_NAMES.watchesTable),
  STOCKALERT_ALERTS_TABLE: z.string().min(1).default(DEFAULT_RESOURCE_NAMES.alertsTable),
  STOCKALERT_QUOTES_TABLE: z.string().min(1).default(DEFAULT_RESOURCE_NAMES.quotesTable),
  STOCKALERT_SUBSCRIPTIONS_TABLE: z.string().min(1).default(DEFAULT_RESOURCE_NAMES.subscriptionsTable),
  STOCKALERT_CHECKPOINTS_TABLE: z.string().min(1).default(DEFAULT_RESOURCE_NAMES.checkpointsTable),
  STOCKALERT_RECIPIENTS_TABLE: z.string().min(1).default(DEFAULT_RESOURCE_NAMES.recipientsTable),
  STOCKALERT_BUCKET: z.string().min(1).default(DEFAULT_RESOURCE_NAMES.bucket),
  STOCKALERT_DETECTOR_FAILURE_QUEUE: z.string().min(1).default(DEFAULT_RESOURCE_NAMES.detectorFailureQueue),
  STOCKALERT_NOTIFIER_FAILURE_QUEUE: z.string().min(1).default(DEFAULT_RESOURCE_NAMES.notifierFailureQueue),
};

type ResourceNamesEnv = { [K in keyof typeof resourceNamesEnv]: string };

export function resourceNamesFrom(env: ResourceNamesEnv): ResourceNames {
  return {
    tradesStream: env.STOCKALERT_TRADES_STREAM,
    alertsStream: env.STOCKALERT_ALERTS_STREAM,
    watchesTable: env.STOCKALERT_WATCHES_TABLE,
    alertsTable: env.STOCKALERT_ALERTS_TABLE,
    quotesTable: env.STOCKALERT_QUOTES_TABLE,
    subscriptionsTable: env.STOCKALERT_SUBSCRIPTIONS_TABLE,
    checkpointsTable: env.STOCKALERT_CHECKPOINTS_TABLE,
    recipientsTable: env.STOCKALERT_RECIPIENTS_TABLE,
    bucket: env.STOCKALERT_BUCKET,
    detectorFailureQueue: env.STOCKALERT_DETECTOR_FAILURE_QUEUE,
    notifierFailureQueue: env.STOCKALERT_NOTIFIER_FAILURE_QUEUE,
  };
}

/** The inverse of `resourceNamesFrom`: the environment that names `names` (the CDK app sets it on every process). */
export function resourceNamesToEnv(names: ResourceNames): ResourceNamesEnv {
  return {
    STOCKALERT_TRADES_STREAM: names.tradesStream,
    STOCKALERT_ALERTS_STREAM: names.alertsStream,
    STOCKALERT_WATCHES_TABLE: names.watchesTable,
    STOCKALERT_ALERTS_TABLE: names.alertsTable,
    STOCKALERT_QUOTES_TABLE: names.quotesTable,
    STOCKALERT_SUBSCRIPTIONS_TABLE: names.subscriptionsTable,
    STOCKALERT_CHECKPOINTS_TABLE: names.checkpointsTable,
    STOCKALERT_RECIPIENTS_TABLE: names.recipientsTable,
    STOCKALERT_BUCKET: names.bucket,
    STOCKALERT_DETECTOR_FAILURE_QUEUE: names.detectorFailureQueue,
    STOCKALERT_NOTIFIER_FAILURE_QUEUE: names.notifierFailureQueue,
  };
}

const portList = z
  .string()
  .regex(/^\d+,\d+,\d+$/, 'expected three ports "dynamodb,kinesis,s3", e.g. "4567,4568,4569"')
  .transform((text) => {
    const [dynamodb, kinesis, s3] = text.split(',').map(Number) as [number, number, number];
    return { dynamodb, kinesis, s3 };
  })
  // Otherwise a port like 70000 passes here and fails later, at listen(), far from the variable.
  .refine((ports) => Object.values(ports).every((port) => port <= 65_535), 'ports must be at most 65535');

/**
 * Where AWS is. With no endpoint configured StockAlert starts the embedded stack; `STOCKALERT_AWS=aws`
 * (or an `AWS_ENDPOINT_URL`) makes the same code talk to an account through the default credential chain.
 */
export const awsTargetEnv = {
  STOCKALERT_AWS: z.enum(['embedded', 'aws']).optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  AWS_ENDPOINT_URL: z.url({ message: 'expected a URL such as http://127.0.0.1:4566' }).optional(),
  STOCKALERT_LOCAL_PORTS: portList.default({ dynamodb: 4567, kinesis: 4568, s3: 4569 }),
  STOCKALERT_DATA_DIR: z.string().min(1).default('.local'),
};

export type AwsTargetSettings =
  | {
      readonly kind: 'embedded';
      readonly region: string;
      readonly ports: { readonly dynamodb: number; readonly kinesis: number; readonly s3: number };
      readonly dataDir: string;
    }
  | { readonly kind: 'aws'; readonly region: string; readonly endpoint?: string };

export function awsTargetFrom(env: {
  STOCKALERT_AWS?: 'embedded' | 'aws' | undefined;
  AWS_REGION: string;
  AWS_ENDPOINT_URL?: string | undefined;
  STOCKALERT_LOCAL_PORTS: { dynamodb: number; kinesis: number; s3: number };
  STOCKALERT_DATA_DIR: string;
}): AwsTargetSettings {
  const kind = env.STOCKALERT_AWS ?? (env.AWS_ENDPOINT_URL === undefined ? 'embedded' : 'aws');
  if (kind === 'embedded') {
    return {
      kind,
      region: env.AWS_REGION,
      ports: env.STOCKALERT_LOCAL_PORTS,
      dataDir: env.STOCKALERT_DATA_DIR,
    };
  }
  return env.AWS_ENDPOINT_URL === undefined
    ? { kind, region: env.AWS_REGION }
    : { kind, region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL };
}
