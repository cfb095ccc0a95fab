import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the runner's on-failure destination (the dead-letter files) holds after a run. */
export interface DeadLetterSummary {
  /** Distinct poison records (a redelivery after a kill diverts the same record again). */
  readonly poisonRecords: number;
  /** Batches that exhausted their retries, on either stream: their alerts are lost to users. */
  readonly failedBatches: number;
  /** Why, for the first few failed batches: `stream: reason`. */
  readonly failedBatchReasons: readonly string[];
}

interface DeadLetterEntry {
  readonly kind: string;
  readonly reason?: string;
  readonly records?: readonly { readonly sequenceNumber?: string }[];
}

export async function readDeadLetters(dir: string, streams: readonly string[]): Promise<DeadLetterSummary> {
  const poison = new Set<string>();
  let failedBatches = 0;
  const failedBatchReasons: string[] = [];
  for (const stream of streams) {
    const text = await readFile(join(dir, `${stream}.jsonl`), 'utf8').catch(() => '');
    for (const line of text.split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as DeadLetterEntry;
      if (entry.kind === 'poison-record') {
        for (const record of entry.records ?? []) poison.add(`${stream}/${record.sequenceNumber}`);
      } else if (entry.kind === 'failed-batch') {
        failedBatches += 1;
        if (failedBatchReasons.length < 5)
          failedBatchReasons.push(`${stream}: ${entry.reason ?? 'no reason'}`);
      }
    }
  }
  return { poisonRecords: poison.size, failedBatches, failedBatchReasons };
}
