import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  type KinesisClient,
  ResourceInUseException as StreamInUse,
} from '@aws-sdk/client-kinesis';
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { BUCKET, type ResourceNames, STREAMS, TABLES, type TableDefinition } from './resources.js';

/**
 * Creates every stream, table and bucket from the shared definitions, leaving existing ones alone.
 * For the embedded stack only: in an account the CDK app owns the resources.
 */
export async function provisionResources(
  clients: { readonly dynamoRaw: DynamoDBClient; readonly kinesis: KinesisClient; readonly s3: S3Client },
  names: ResourceNames,
): Promise<void> {
  await Promise.all([
    ...Object.values(TABLES).map((table) => createTable(clients.dynamoRaw, tableInput(table, names))),
    ...Object.values(STREAMS).map((stream) =>
      ignoring(
        [StreamInUse],
        clients.kinesis.send(
          new CreateStreamCommand({ StreamName: names[stream.nameKey], ShardCount: stream.shardCount }),
        ),
      ),
    ),
    // s3rver answers BucketAlreadyExists for its own bucket; this runs against the embedded stack only.
    ignoring(
      [BucketAlreadyOwnedByYou, BucketAlreadyExists],
      clients.s3.send(new CreateBucketCommand({ Bucket: names[BUCKET.nameKey] })),
    ),
  ]);
}

export function tableInput(table: TableDefinition, names: ResourceNames): CreateTableCommandInput {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...(table.globalIndexes ?? []).flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const attributes = new Map(keys.filter((k) => k !== undefined).map((k) => [k.name, k.type]));
  return {
    TableName: names[table.nameKey],
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: [
      { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
      ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    ...(table.globalIndexes
      ? {
          GlobalSecondaryIndexes: table.globalIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
              ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}

async function createTable(dynamo: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  await ignoring([ResourceInUseException], dynamo.send(new CreateTableCommand(input)));
}

async function ignoring(
  kinds: readonly (abstract new (...args: never[]) => Error)[],
  work: Promise<unknown>,
): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!kinds.some((kind) => error instanceof kind)) throw error;
  }
}
