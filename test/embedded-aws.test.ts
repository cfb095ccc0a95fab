import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { provisionResources } from '../shared/aws/provision-resources.js';
import type { TestAws } from './helpers/embedded-aws.js';
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

let handleOfEndedSuite: TestAws | undefined;
let endpointOfEndedSuite = '';

describe('useTestAws inside its suite', () => {
  const aws = useTestAws();

  it('reads through to the stack its beforeAll started', async () => {
    handleOfEndedSuite = aws;
    endpointOfEndedSuite = aws.connection.endpoints.dynamodb;
    const tables = await aws.clients.dynamoRaw.send(
      new DescribeTableCommand({ TableName: aws.names.alertsTable }),
    );
    expect(tables.Table?.TableStatus).toBe('ACTIVE');
  });
});

describe('useTestAws after its suite', () => {
  it('has stopped the stack and refuses to be read, saying where it can be', async () => {
    expect(endpointOfEndedSuite).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    await expect(fetch(endpointOfEndedSuite)).rejects.toThrow();
    expect(() => handleOfEndedSuite?.clients).toThrow(
      /only running inside the tests and later hooks of the suite/,
    );
  });
});
