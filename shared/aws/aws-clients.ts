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
 * The one place AWS SDK clients are built. Against the embedded stack it applies each emulator's
 * needs (see ../shared/notes/local-aws.md): Kinesis over HTTP/1, S3 path style with checksums only
 * when required. Against AWS it keeps the SDK defaults.
 */
export function createAwsClients(connection: AwsConnection): AwsClients {
  const { dynamo, dynamoRaw } = createDynamoClients(connection);
  const kinesis = createKinesisClient(connection);
  const s3 = createS3Client(connection);
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
export function createDynamoClients(connection: AwsConnection): {
  readonly dynamo: DynamoDBDocumentClient;
  readonly dynamoRaw: DynamoDBClient;
} {
  const dynamoRaw =
    connection.kind === 'embedded'
      ? new DynamoDBClient({
          region: connection.region,
          endpoint: connection.endpoints.dynamodb,
          credentials: connection.credentials,
        })
      : new DynamoDBClient({ region: connection.region, ...endpointOf(connection, 'dynamodb') });
  const dynamo = DynamoDBDocumentClient.from(dynamoRaw, { marshallOptions: { removeUndefinedValues: true } });
  return { dynamo, dynamoRaw };
}

export function createKinesisClient(connection: AwsConnection): KinesisClient {
  if (connection.kind === 'embedded') {
    return new KinesisClient({
      region: connection.region,
      endpoint: connection.endpoints.kinesis,
      credentials: connection.credentials,
      // kinesalite speaks HTTP/1 only; the client's HTTP/2 default fails with ERR_HTTP2_ERROR.
      requestHandler: new NodeHttpHandler(),
    });
  }
  const endpoint = endpointOf(connection, 'kinesis');
  return new KinesisClient({
    region: connection.region,
    ...endpoint,
    ...(endpoint.endpoint?.startsWith('http://') ? { requestHandler: new NodeHttpHandler() } : {}),
  });
}

export function createS3Client(connection: AwsConnection): S3Client {
  if (connection.kind === 'embedded') {
    return new S3Client({
      region: connection.region,
      endpoint: connection.endpoints.s3,
      credentials: connection.credentials,
      forcePathStyle: true,
      // Without these a streamed upload is stored with aws-chunked framing inside the object.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }
  const endpoint = endpointOf(connection, 's3');
  return new S3Client({
    region: connection.region,
    ...endpoint,
    forcePathStyle: endpoint.endpoint !== undefined,
  });
}

/** SQS, for the on-failure queues; only on AWS (the embedded stack has none: locally poison records go to a file). */
export function createSqsClient(connection: AwsConnection & { kind: 'aws' }): SQSClient {
  return new SQSClient({ region: connection.region, ...endpointOf(connection, 'sqs') });
}

/** The endpoint a service is reached at on an `aws` connection: its own, else the shared one, else AWS's. */
export function endpointOf(
  connection: AwsConnection & { kind: 'aws' },
  service: AwsService,
): { endpoint?: string } {
  const endpoint = connection.serviceEndpoints?.[service] ?? connection.endpoint;
  return endpoint === undefined ? {} : { endpoint };
}
