import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsConnection, AwsService } from './aws-connection.js';

export interface AwsClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly dynamoRaw: DynamoDBClient;
  readonly kinesis: KinesisClient;
  readonly s3: S3Client;
  destroy(): void;
}

/**
 * Every AWS call gives up after these (the SDK's default is to wait forever on a hung connection, which
 * held a Lambda to its own timeout); the SDK's retry policy then applies as to any other failure.
 * The request timeout runs until the response headers arrive (a streamed body is not cut), so S3, whose
 * uploads send the whole body first, gets longer.
 */
export const AWS_TIMEOUTS = { connectMs: 3_000, requestMs: 30_000, s3RequestMs: 120_000 } as const;

export interface AwsClientOptions {
  /** Overrides AWS_TIMEOUTS.requestMs and s3RequestMs (tests shorten them). */
  readonly requestTimeoutMs?: number;
}

interface Timeouts {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly throwOnRequestTimeout: true;
}

function timeoutsFor(options: AwsClientOptions, service: 's3' | 'other'): Timeouts {
  const fallback = service === 's3' ? AWS_TIMEOUTS.s3RequestMs : AWS_TIMEOUTS.requestMs;
  return {
    connectionTimeout: AWS_TIMEOUTS.connectMs,
    requestTimeout: options.requestTimeoutMs ?? fallback,
    // Without it the handler only logs a warning when the timeout passes, and keeps waiting.
    throwOnRequestTimeout: true,
  };
}

/**
 * The one place AWS SDK clients are built. Against the embedded stack it applies each emulator's
 * needs (see ../shared/notes/local-aws.md): Kinesis over HTTP/1, S3 path style with checksums only
 * when required, and the stack's own credentials. Against AWS it keeps the SDK defaults, with timeouts.
 */
export function createAwsClients(connection: AwsConnection, options: AwsClientOptions = {}): AwsClients {
  const { dynamo, dynamoRaw } = createDynamoClients(connection, options);
  const kinesis = createKinesisClient(connection, options);
  const s3 = createS3Client(connection, options);
  return {
    dynamo,
    dynamoRaw,
    kinesis,
    s3,
    destroy() {
      dynamo.destroy();
      dynamoRaw.destroy();
      kinesis.destroy();
      s3.destroy();
    },
  };
}

/**
 * DynamoDB alone, for a function that needs no other service: each Lambda builds only the clients
 * it uses (the detector has no S3 client), and its bundle carries only those SDK packages.
 */
export function createDynamoClients(
  connection: AwsConnection,
  options: AwsClientOptions = {},
): {
  readonly dynamo: DynamoDBDocumentClient;
  readonly dynamoRaw: DynamoDBClient;
} {
  const requestHandler = timeoutsFor(options, 'other');
  const dynamoRaw =
    connection.kind === 'embedded'
      ? new DynamoDBClient({
          region: connection.region,
          endpoint: connection.endpoints.dynamodb,
          credentials: connection.credentials,
          requestHandler,
        })
      : new DynamoDBClient({
          region: connection.region,
          ...endpointOf(connection, 'dynamodb'),
          requestHandler,
        });
  const dynamo = DynamoDBDocumentClient.from(dynamoRaw, { marshallOptions: { removeUndefinedValues: true } });
  return { dynamo, dynamoRaw };
}

export function createKinesisClient(
  connection: AwsConnection,
  options: AwsClientOptions = {},
): KinesisClient {
  const timeouts = timeoutsFor(options, 'other');
  if (connection.kind === 'embedded') {
    return new KinesisClient({
      region: connection.region,
      endpoint: connection.endpoints.kinesis,
      credentials: connection.credentials,
      // kinesalite speaks HTTP/1 only; the client's HTTP/2 default fails with ERR_HTTP2_ERROR.
      requestHandler: new NodeHttpHandler(timeouts),
    });
  }
  const endpoint = endpointOf(connection, 'kinesis');
  return new KinesisClient({
    region: connection.region,
    ...endpoint,
    // Options, not an instance, keep the client's own HTTP/2 handler against AWS (SubscribeToShard).
    requestHandler: endpoint.endpoint?.startsWith('http://')
      ? new NodeHttpHandler(timeouts)
      : { requestTimeout: timeouts.requestTimeout, throwOnRequestTimeout: true },
  });
}

export function createS3Client(connection: AwsConnection, options: AwsClientOptions = {}): S3Client {
  const requestHandler = timeoutsFor(options, 's3');
  if (connection.kind === 'embedded') {
    return new S3Client({
      region: connection.region,
      endpoint: connection.endpoints.s3,
      credentials: connection.credentials,
      forcePathStyle: true,
      // Without these a streamed upload is stored with aws-chunked framing inside the object.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler,
    });
  }
  const endpoint = endpointOf(connection, 's3');
  return new S3Client({
    region: connection.region,
    ...endpoint,
    forcePathStyle: endpoint.endpoint !== undefined,
    requestHandler,
  });
}

/** SQS, for the on-failure queues; only on AWS (the embedded stack has none: locally poison records go to a file). */
export function createSqsClient(
  connection: AwsConnection & { kind: 'aws' },
  options: AwsClientOptions = {},
): SQSClient {
  return new SQSClient({
    region: connection.region,
    ...endpointOf(connection, 'sqs'),
    requestHandler: timeoutsFor(options, 'other'),
  });
}

/** CloudWatch, for the autoscaler's shard metrics; only on AWS (the embedded stack has none). */
export function createCloudWatchClient(
  connection: AwsConnection & { kind: 'aws' },
  options: AwsClientOptions = {},
): CloudWatchClient {
  return new CloudWatchClient({
    region: connection.region,
    ...endpointOf(connection, 'cloudwatch'),
    requestHandler: timeoutsFor(options, 'other'),
  });
}

/** The endpoint a service is reached at on an `aws` connection: its own, else the shared one, else AWS's. */
export function endpointOf(
  connection: AwsConnection & { kind: 'aws' },
  service: AwsService,
): { endpoint?: string } {
  const endpoint = connection.serviceEndpoints?.[service] ?? connection.endpoint;
  return endpoint === undefined ? {} : { endpoint };
}
