import { z } from 'zod';
import type { AwsConnection, AwsService } from '../aws/aws-connection.js';
import { resourceNamesEnv } from './aws-env.js';

const endpointUrl = z.url({ message: 'expected a URL such as http://127.0.0.1:4566' }).optional();

/**
 * What every Lambda entry point reads: its region (set by Lambda), optional endpoints for emulators
 * (one for all, such as LocalStack, or the SDK's per-service `AWS_ENDPOINT_URL_<SERVICE>`, as the
 * artefact tests use for the embedded stack), the resource names the CDK app passes in, and the
 * Powertools service name and metrics namespace.
 */
export const lambdaEnv = {
  ...resourceNamesEnv,
  AWS_REGION: z.string().min(1),
  AWS_ENDPOINT_URL: endpointUrl,
  AWS_ENDPOINT_URL_DYNAMODB: endpointUrl,
  AWS_ENDPOINT_URL_KINESIS: endpointUrl,
  AWS_ENDPOINT_URL_S3: endpointUrl,
  AWS_ENDPOINT_URL_SQS: endpointUrl,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: endpointUrl,
  AWS_ENDPOINT_URL_CLOUDWATCH: endpointUrl,
  POWERTOOLS_SERVICE_NAME: z.string().min(1).optional(),
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default('StockAlert'),
};

type LambdaConnectionEnv = {
  AWS_REGION: string;
  AWS_ENDPOINT_URL?: string | undefined;
  AWS_ENDPOINT_URL_DYNAMODB?: string | undefined;
  AWS_ENDPOINT_URL_KINESIS?: string | undefined;
  AWS_ENDPOINT_URL_S3?: string | undefined;
  AWS_ENDPOINT_URL_SQS?: string | undefined;
  AWS_ENDPOINT_URL_SECRETS_MANAGER?: string | undefined;
  AWS_ENDPOINT_URL_CLOUDWATCH?: string | undefined;
};

export function lambdaConnection(env: LambdaConnectionEnv): AwsConnection & { kind: 'aws' } {
  const perService: [AwsService, string | undefined][] = [
    ['dynamodb', env.AWS_ENDPOINT_URL_DYNAMODB],
    ['kinesis', env.AWS_ENDPOINT_URL_KINESIS],
    ['s3', env.AWS_ENDPOINT_URL_S3],
    ['sqs', env.AWS_ENDPOINT_URL_SQS],
    ['secretsmanager', env.AWS_ENDPOINT_URL_SECRETS_MANAGER],
    ['cloudwatch', env.AWS_ENDPOINT_URL_CLOUDWATCH],
  ];
  const serviceEndpoints = Object.fromEntries(perService.filter(([, url]) => url !== undefined));
  return {
    kind: 'aws',
    region: env.AWS_REGION,
    ...(env.AWS_ENDPOINT_URL !== undefined && { endpoint: env.AWS_ENDPOINT_URL }),
    ...(Object.keys(serviceEndpoints).length > 0 && { serviceEndpoints }),
  };
}

/** Powertools settings of a function, with its default service name. */
export function lambdaToolSettings(
  env: { POWERTOOLS_SERVICE_NAME?: string | undefined; POWERTOOLS_METRICS_NAMESPACE: string },
  defaultServiceName: string,
) {
  return {
    serviceName: env.POWERTOOLS_SERVICE_NAME ?? defaultServiceName,
    metricsNamespace: env.POWERTOOLS_METRICS_NAMESPACE,
  };
}
