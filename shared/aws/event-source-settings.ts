/**
 * The event source mapping settings of each stream consumer. The local runner applies them,
 * and the CDK app gives the same values to the real Lambda event source mappings.
 */
import type { QUEUES } from './resources.js';

export interface EventSourceSettings {
  /** Records per batch (Lambda: 1–10,000). */
  readonly batchSize: number;
  /** Wait up to this long to fill a batch (Lambda: 0–300 s). */
  readonly maxBatchingWindowSeconds: number;
  /** On a function error, split the batch in two and retry each half. */
  readonly bisectBatchOnError: boolean;
  /** Retries after the first attempt; -1 retries until the record expires. */
  readonly retryAttempts: number;
  /** Honour `batchItemFailures` in the handler's response (ReportBatchItemFailures). */
  readonly reportBatchItemFailures: boolean;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /**
   * Records older than this (by arrival time) skip the handler and go to the on-failure destination
   * (Lambda: 60–604,800 s, or -1 for no limit).
   */
  readonly maxRecordAgeSeconds: number;
  /**
   * Concurrent batches per shard (Lambda: 1–10; order is kept per partition key). The local runner
   * applies it too: above 1 it splits each batch into lanes by partition key and delivers them
   * concurrently, checkpointing only past batches done in every lane (pipeline/runner/shard-lanes.ts).
   */
  readonly parallelizationFactor: number;
  /** Where exhausted batches and too-old records go: a queue of `QUEUES` in resources.ts. */
  readonly onFailureQueue: keyof typeof QUEUES;
}

export const DETECTOR_EVENT_SOURCE: EventSourceSettings = {
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  bisectBatchOnError: true,
  retryAttempts: 3,
  reportBatchItemFailures: true,
  startingPosition: 'TRIM_HORIZON',
  // A day: beyond it even the 1d window has moved on, and a stuck shard catches up instead of replaying history.
  maxRecordAgeSeconds: 86_400,
  parallelizationFactor: 1,
  onFailureQueue: 'detectorFailures',
};

export const NOTIFIER_EVENT_SOURCE: EventSourceSettings = {
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  bisectBatchOnError: true,
  // Enough back-off (about 50 s in all) to outlast a crashed attempt's 15 s delivery claim.
  retryAttempts: 8,
  reportBatchItemFailures: true,
  startingPosition: 'TRIM_HORIZON',
  // An alert DM more than six hours late is news no one can act on; it is kept in the failure queue instead.
  maxRecordAgeSeconds: 21_600,
  // Alerts are keyed by user and need order only per user: one slow user's batch (a first DM that opens
  // the channel, Slack's chart upload, many claims) then holds only the users of its lane, not the next
  // batch (docs/architecture.md, "Latency by stage").
  parallelizationFactor: 10,
  onFailureQueue: 'notifierFailures',
};
