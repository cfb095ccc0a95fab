import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConsoleMessenger } from '../../bot/console/console-messenger.js';
import { LocalPipeline } from '../../pipeline/local/local-pipeline.js';
import { JsonLinesLogger } from '../../shared/log/json-lines-logger.js';
import type { TestAws } from './embedded-aws.js';

export interface DeliveredDm {
  readonly userKey: string;
  readonly text: string;
}

/** Collected log lines, for asserting on what was logged. */
export function memoryLogger(): { logger: JsonLinesLogger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(JSON.parse(String(chunk)));
      callback();
    },
  });
  return { logger: new JsonLinesLogger(sink, 'debug'), lines };
}

/** A LocalPipeline on the test stack whose console DMs land in `dms`. */
export function createTestPipeline(aws: TestAws, dms: DeliveredDm[], deadLetterDir?: string) {
  const { logger, lines } = memoryLogger();
  const pipeline = new LocalPipeline({
    clients: aws.clients,
    names: aws.names,
    messenger: new ConsoleMessenger((userKey, text) => dms.push({ userKey, text })),
    logger,
    region: aws.connection.region,
    watcherCacheTtlMs: 60_000,
    idlePollMs: 20,
    ...(deadLetterDir === undefined ? {} : { deadLetterDir }),
  });
  return { pipeline, logLines: lines };
}

export async function uploadLines(aws: TestAws, key: string, lines: readonly string[]): Promise<void> {
  const text = `${lines.join('\n')}\n`;
  await aws.clients.s3.send(
    new PutObjectCommand({
      Bucket: aws.names.bucket,
      Key: key,
      Body: key.endsWith('.gz') ? gzipSync(text) : Buffer.from(text),
    }),
  );
}

export async function alertItemsOf(aws: TestAws, userKey: string): Promise<Record<string, unknown>[]> {
  const result = await aws.clients.dynamo.send(
    new QueryCommand({
      TableName: aws.names.alertsTable,
      KeyConditionExpression: 'userKey = :u',
      ExpressionAttributeValues: { ':u': userKey },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}
