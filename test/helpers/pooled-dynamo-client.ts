import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TestAws } from './embedded-aws.js';

/**
 * A DynamoDB client on the embedded stack with a small socket pool, a short connect timeout and no retries:
 * what a client looks like once the SDK's retry quota has run dry. The SDK's connect timeout runs while a
 * request waits for a socket, so a caller that sends more calls at once than the pool holds sees TimeoutError.
 */
export function pooledDynamoClient(
  aws: TestAws,
  pool: { readonly maxSockets: number; readonly connectionTimeoutMs: number },
): DynamoDBClient {
  return new DynamoDBClient({
    region: aws.connection.region,
    endpoint: aws.connection.endpoints.dynamodb,
    credentials: aws.connection.credentials,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: pool.connectionTimeoutMs,
      httpAgent: { maxSockets: pool.maxSockets },
    },
  });
}
