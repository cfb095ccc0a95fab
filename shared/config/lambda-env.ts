import { z } from 'zod';
import { resourceNamesEnv } from './aws-env.js';

/**
 * What every Lambda entry point reads: its region (set by Lambda), an optional endpoint for
 * emulators such as LocalStack, and the resource names the CDK app passes in.
 */
export const lambdaEnv = {
  ...resourceNamesEnv,
  AWS_REGION: z.string().min(1),
  AWS_ENDPOINT_URL: z.url({ message: 'expected a URL such as http://127.0.0.1:4566' }).optional(),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).optional(),
};

export function lambdaConnection(env: { AWS_REGION: string; AWS_ENDPOINT_URL?: string | undefined }) {
  return env.AWS_ENDPOINT_URL === undefined
    ? ({ kind: 'aws', region: env.AWS_REGION } as const)
    : ({ kind: 'aws', region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL } as const);
}
