import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPipeline } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';

describe('poison records on the local pipeline', () => {
  const aws = useTestAws();
  let deadLetterDir: string;

  beforeAll(async () => {
    deadLetterDir = await mkdtemp(join(tmpdir(), 'stockalert-dead-letters-'));
  });

  afterAll(async () => {
    await rm(deadLetterDir, { recursive: true, force: true });
  });

  it('sends each poison record on the trades stream to the local on-failure destination, with its sequence number and payload', async () => {
    const payload = Buffer.from('{"v":1,"s":"BAC","t":[[17');
    const put = await aws.clients.kinesis.send(
      new PutRecordCommand({ StreamName: aws.names.tradesStream, PartitionKey: 'BAC', Data: payload }),
    );
    const { pipeline } = createTestPipeline(aws, [], deadLetterDir);
    await pipeline.start();
    try {
      await pipeline.drained();
    } finally {
      await pipeline.stop();
    }

    const lines = (await readFile(join(deadLetterDir, `${aws.names.tradesStream}.jsonl`), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({
        kind: 'poison-record',
        records: [
          expect.objectContaining({ sequenceNumber: put.SequenceNumber, data: payload.toString('base64') }),
        ],
      }),
    ]);
    expect(pipeline.detectorStats.poisonRecords).toBe(1);
  });
});
