import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsConnection } from './aws-connection.js';

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

/** The credentials s3rver accepts; the other emulators accept any. */
const EMBEDDED_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * The one place AWS SDK clients are built. Against the embedded stack it applies each emulator's
 * needs (see ../shared/notes/local-aws.md): Kinesis over HTTP/1, S3 path style with checksums only
 * when required. Against AWS it keeps the SDK defaults.
 */
export function createAwsClients(connection: AwsConnection, options: AwsClientOptions = {}): AwsClients {
  const timeouts = {
    connectionTimeout: AWS_TIMEOUTS.connectMs,
    requestTimeout: options.requestTimeoutMs ?? AWS_TIMEOUTS.requestMs,
    // Without it the handler only logs a warning when the timeout passes, and keeps waiting.
    throwOnRequestTimeout: true,
  };
  const s3Timeouts = { ...timeouts, requestTimeout: options.requestTimeoutMs ?? AWS_TIMEOUTS.s3RequestMs };
  const dynamoRaw =
    connection.kind === 'embedded'
      ? new DynamoDBClient({
          region: connection.region,
          endpoint: connection.endpoints.dynamodb,
          credentials: EMBEDDED_CREDENTIALS,
          requestHandler: timeouts,
        })
      : new DynamoDBClient({
          region: connection.region,
          ...endpointOf(connection),
          requestHandler: timeouts,
        });
  const kinesis =
    connection.kind === 'embedded'
      ? new KinesisClient({
          region: connection.region,
          endpoint: connection.endpoints.kinesis,
          credentials: EMBEDDED_CREDENTIALS,
          // kinesalite speaks HTTP/1 only; the client's HTTP/2 default fails with ERR_HTTP2_ERROR.
          requestHandler: new NodeHttpHandler(timeouts),
        })
      : new KinesisClient({
          region: connection.region,
          ...endpointOf(connection),
          // Options, not an instance, keep the client's own HTTP/2 handler against AWS (SubscribeToShard).
          requestHandler: connection.endpoint?.startsWith('http://')
            ? new NodeHttpHandler(timeouts)
            : { requestTimeout: timeouts.requestTimeout, throwOnRequestTimeout: true },
        });
  const s3 =
    connection.kind === 'embedded'
      ? new S3Client({
          region: connection.region,
          endpoint: connection.endpoints.s3,
          credentials: EMBEDDED_CREDENTIALS,
          forcePathStyle: true,
          // Without these a streamed upload is stored with aws-chunked framing inside the object.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
          requestHandler: s3Timeouts,
        })
      : new S3Client({
          region: connection.region,
          ...endpointOf(connection),
          forcePathStyle: connection.endpoint !== undefined,
          requestHandler: s3Timeouts,
        });
  const dynamo = DynamoDBDocumentClient.from(dynamoRaw, { marshallOptions: { removeUndefinedValues: true } });
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

function endpointOf(connection: { readonly endpoint?: string }): { endpoint?: string } {
  return connection.endpoint === undefined ? {} : { endpoint: connection.endpoint };
}
