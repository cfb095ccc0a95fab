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
 * The one place AWS SDK clients are built. Against the embedded stack it applies each emulator's
 * needs (see ../shared/notes/local-aws.md): Kinesis over HTTP/1, S3 path style with checksums only
 * when required. Against AWS it keeps the SDK defaults.
 */
export function createAwsClients(connection: AwsConnection): AwsClients {
  const dynamoRaw =
    connection.kind === 'embedded'
      ? new DynamoDBClient({
          region: connection.region,
          endpoint: connection.endpoints.dynamodb,
          credentials: connection.credentials,
        })
      : new DynamoDBClient({ region: connection.region, ...endpointOf(connection) });
  const kinesis =
    connection.kind === 'embedded'
      ? new KinesisClient({
          region: connection.region,
          endpoint: connection.endpoints.kinesis,
          credentials: connection.credentials,
          // kinesalite speaks HTTP/1 only; the client's HTTP/2 default fails with ERR_HTTP2_ERROR.
          requestHandler: new NodeHttpHandler(),
        })
      : new KinesisClient({
          region: connection.region,
          ...endpointOf(connection),
          ...(connection.endpoint?.startsWith('http://') ? { requestHandler: new NodeHttpHandler() } : {}),
        });
  const s3 =
    connection.kind === 'embedded'
      ? new S3Client({
          region: connection.region,
          endpoint: connection.endpoints.s3,
          credentials: connection.credentials,
          forcePathStyle: true,
          // Without these a streamed upload is stored with aws-chunked framing inside the object.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        })
      : new S3Client({
          region: connection.region,
          ...endpointOf(connection),
          forcePathStyle: connection.endpoint !== undefined,
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
