import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Where a replay has got to: the objects finished, and in the current object the first line whose
 * trades are not all acknowledged. Resuming there re-sends a little (duplicates are harmless, alert ids
 * are deterministic) and never skips a trade.
 */
export interface ProducerCheckpoint {
  readonly source: string;
  readonly done: readonly string[];
  readonly object: string | undefined;
  readonly line: number;
  /** The last record acknowledged per shard, for an operator or a consumer to line up with. */
  readonly lastSequenceByShard: Readonly<Record<string, string>>;
  readonly updatedAt: string;
}

/** Keeps checkpoints as small JSON objects under `checkpoints/producer/` in the source bucket. */
export class S3ProducerCheckpoints {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  keyFor(source: string): string {
    return `checkpoints/producer/${source.replace(/^s3:\/\//, '')}.json`;
  }

  async load(source: string): Promise<ProducerCheckpoint | undefined> {
    try {
      const object = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.keyFor(source) }),
      );
      const checkpoint = JSON.parse((await object.Body?.transformToString()) ?? '') as ProducerCheckpoint;
      return checkpoint.source === source ? checkpoint : undefined;
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async save(checkpoint: ProducerCheckpoint): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.keyFor(checkpoint.source),
        Body: JSON.stringify(checkpoint),
        ContentType: 'application/json',
      }),
    );
  }

  async clear(source: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyFor(source) }));
  }
}
