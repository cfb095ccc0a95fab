import { describe, expect, it } from 'vitest';
import { laneOf } from '../../pipeline/runner/shard-lanes.js';
import { type ReadRecord, StreamBusy } from './stream-busy.js';

const LANES = 4;
const SHARD = 'shardId-000000000000';
const OTHER_SHARD = 'shardId-000000000001';

/** A partition key in the same lane as `key`, and one in another lane. */
function keysBeside(key: string): { sameLane: string; otherLane: string } {
  let sameLane: string | undefined;
  let otherLane: string | undefined;
  for (let i = 0; sameLane === undefined || otherLane === undefined; i += 1) {
    const candidate = `user-${i}`;
    if (laneOf(candidate, LANES) === laneOf(key, LANES)) sameLane ??= candidate;
    else otherLane ??= candidate;
  }
  return { sameLane, otherLane };
}

function record(sequenceNumber: string, partitionKey: string, shardId = SHARD, arrivedAt = 0): ReadRecord {
  return { sequenceNumber, arrivedAt, shardId, partitionKey };
}

describe('StreamBusy', () => {
  const { sameLane, otherLane } = keysBeside('user-slow');
  const waiting = record('9', 'user-slow', SHARD, 1_000);

  it('counts overlapping runs of the record’s own lane once, within its wait', () => {
    const records = [record('1', sameLane), record('2', 'user-slow'), waiting];
    const busy = new StreamBusy(
      [
        { firstSequenceNumber: '1', startedAt: 900, endedAt: 1_100 },
        { firstSequenceNumber: '2', startedAt: 1_050, endedAt: 1_200 },
      ],
      records,
      LANES,
    );
    // [1000, 1200) is covered, by one run or two: 200 ms, not 100 + 150.
    expect(busy.within(waiting, 1_300)).toBe(200);
  });

  it('leaves out runs in other lanes and on other shards, which go on beside the record', () => {
    const records = [record('1', otherLane), record('2', 'user-slow', OTHER_SHARD), waiting];
    const busy = new StreamBusy(
      [
        { firstSequenceNumber: '1', startedAt: 1_000, endedAt: 1_300 },
        { firstSequenceNumber: '2', startedAt: 1_000, endedAt: 1_300 },
      ],
      records,
      LANES,
    );
    expect(busy.within(waiting, 1_300)).toBe(0);
  });

  it('counts an unfinished run up to the record’s start, and a run whose records it cannot place', () => {
    const records = [record('1', sameLane), waiting];
    const unfinished = new StreamBusy(
      [{ firstSequenceNumber: '1', startedAt: 1_100, endedAt: 0 }],
      records,
      LANES,
    );
    expect(unfinished.within(waiting, 1_250)).toBe(150);
    const unplaced = new StreamBusy([{ startedAt: 1_200, endedAt: 1_240 }], records, LANES);
    expect(unplaced.within(waiting, 1_250)).toBe(40);
  });

  it('with one lane, counts every run of the record’s shard', () => {
    const records = [record('1', otherLane), waiting];
    const busy = new StreamBusy([{ firstSequenceNumber: '1', startedAt: 1_000, endedAt: 1_300 }], records, 1);
    expect(busy.within(waiting, 1_300)).toBe(300);
  });
});
