import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { provisionResources } from '../shared/aws/provision-resources.js';
import { useTestAws } from './helpers/use-test-aws.js';

describe('embedded AWS stack', () => {
  const aws = useTestAws();

  it('creates the Watches table with the bySymbol index from the shared definition', async () => {
    const table = await aws.clients.dynamoRaw.send(
      new DescribeTableCommand({ TableName: aws.names.watchesTable }),
    );
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    expect(table.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['bySymbol']);
  });

  it('creates the trades stream with its shards', async () => {
    const stream = await aws.clients.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: aws.names.tradesStream }),
    );
    expect(stream.StreamDescriptionSummary?.OpenShardCount).toBe(2);
  });

  it('stores an S3 object byte for byte', async () => {
    const body = 'symbol,timestamp,price,size\nBAC,2024-01-02T09:30:00-05:00,13.9,100\n';
    await aws.clients.s3.send(
      new PutObjectCommand({ Bucket: aws.names.bucket, Key: 'probe.csv', Body: body }),
    );
    const object = await aws.clients.s3.send(
      new GetObjectCommand({ Bucket: aws.names.bucket, Key: 'probe.csv' }),
    );
    expect(await object.Body?.transformToString()).toBe(body);
  });

  it('provisions a second time without error, keeping what exists', async () => {
    await expect(provisionResources(aws.clients, aws.names)).resolves.toBeUndefined();
  });
});
