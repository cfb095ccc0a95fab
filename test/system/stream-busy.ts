import { laneOf } from '../../pipeline/runner/shard-lanes.js';
import { DETECTOR_EVENT_SOURCE, NOTIFIER_EVENT_SOURCE } from '../../shared/aws/event-source-settings.js';

/** What of a stream record telling its wait apart needs (latency.ts's StreamRecord has these). */
export interface ReadRecord {
  readonly sequenceNumber: string;
  /** When it arrived in Kinesis, epoch ms. */
  readonly arrivedAt: number;
  readonly shardId?: string;
  readonly partitionKey?: string;
}

/** A handler run on a stream, as the runner reported it (its first record, start and end; end 0 if unfinished). */
export interface BatchRun {
  readonly firstSequenceNumber?: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** The runner's lanes per shard on each stream (pipeline/local runs the mappings' own settings). */
export const TRADE_LANES = DETECTOR_EVENT_SOURCE.parallelizationFactor;
export const ALERT_LANES = NOTIFIER_EVENT_SOURCE.parallelizationFactor;

/**
 * How much of a record's wait its stream's loop spent on earlier batches: the time covered by handler runs
 * that could hold it back, those of its own shard and lane (a key's lane: shard-lanes.ts), counted once
 * however many overlap. Runs on other shards or in other lanes go on beside it and are not counted (summing
 * every run over-counted whenever lanes or shards ran side by side). Not counted either: a lanes loop
 * waiting for room (all its lanes' batches out), which the runs alone cannot tell.
 */
export class StreamBusy {
  private readonly recordOf = new Map<string, ReadRecord>();

  constructor(
    private readonly runs: readonly BatchRun[] | undefined,
    records: readonly ReadRecord[],
    private readonly lanes: number,
  ) {
    for (const record of records) this.recordOf.set(record.sequenceNumber, record);
  }

  /** How much of [record's arrival, `handledAt`) runs holding `record` back were going on. */
  within(record: ReadRecord, handledAt: number): number {
    const from = record.arrivedAt;
    const intervals = (this.runs ?? [])
      .filter((run) => this.holds(run, record))
      .map((run) => ({
        start: Math.max(run.startedAt, from),
        end: Math.min(run.endedAt === 0 ? handledAt : run.endedAt, handledAt),
      }))
      .filter((interval) => interval.end > interval.start)
      .sort((x, y) => x.start - y.start);
    let busy = 0;
    let reached = from;
    for (const { start, end } of intervals) {
      if (end <= reached) continue;
      busy += end - Math.max(start, reached);
      reached = end;
    }
    return busy;
  }

  /** Whether a run was in the record's shard and lane (unknown where either is: then it counts). */
  private holds(run: BatchRun, record: ReadRecord): boolean {
    const first =
      run.firstSequenceNumber === undefined ? undefined : this.recordOf.get(run.firstSequenceNumber);
    if (first?.shardId === undefined || record.shardId === undefined) return true;
    if (first.shardId !== record.shardId) return false;
    if (first.partitionKey === undefined || record.partitionKey === undefined) return true;
    return laneOf(first.partitionKey, this.lanes) === laneOf(record.partitionKey, this.lanes);
  }
}
