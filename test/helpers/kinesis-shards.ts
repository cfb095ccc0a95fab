import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';

/** Creates a stream and waits until it is ACTIVE. */
export async function createActiveStream(kinesis: KinesisClient, streamName: string, shardCount: number) {
  await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  await waitUntilActive(kinesis, streamName);
}

/** Waits until the stream has applied its last reshard (kinesalite does so within milliseconds). */
export async function waitUntilActive(kinesis: KinesisClient, streamName: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`${streamName} did not become ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export { isOpenShard as isOpen, listAllShards } from '../../shared/aws/list-shards.js';
