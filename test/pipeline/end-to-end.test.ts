import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoTradeLines } from '../../pipeline/demo/demo-trades.js';
import {
  alertItemsOf,
  createTestPipeline,
  type DeliveredDm,
  uploadLines,
} from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const ALICE = 'console:alice';

describe('the whole path on the embedded stack', () => {
  const aws = useTestAws();
  const dms: DeliveredDm[] = [];

  beforeAll(async () => {
    await uploadLines(aws, 'demo/demo-trades.csv.gz', generateDemoTradeLines());
    const { pipeline } = createTestPipeline(aws, dms);
    await pipeline.watches.put({
      userKey: ALICE,
      symbol: 'BAC',
      thresholdPct: 3,
      window: '15m',
      direction: 'both',
      hours: 'all',
      createdAt: Date.now(),
    });
  });

  async function replayOnce(): Promise<{
    trades: number;
    alertsCreated: number;
    alreadyKnown: number;
    delivered: number;
  }> {
    const { pipeline } = createTestPipeline(aws, dms);
    await pipeline.start();
    try {
      const summary = await pipeline.replay({
        bucket: aws.names.bucket,
        key: 'demo/demo-trades.csv.gz',
        speed: 'max',
      });
      await pipeline.drained();
      return {
        trades: summary.trades,
        alertsCreated: pipeline.detectorStats.alertsCreated,
        alreadyKnown: pipeline.detectorStats.alertsAlreadyKnown,
        delivered: pipeline.notifierStats.delivered,
      };
    } finally {
      await pipeline.stop();
    }
  }

  it('turns the demo sell-off into exactly one Alert item and one console DM', async () => {
    const run = await replayOnce();

    expect(run.trades).toBe(generateDemoTradeLines().length - 1);
    expect(run.alertsCreated).toBe(1);
    const items = await alertItemsOf(aws, ALICE);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      symbol: 'BAC',
      window: '15m',
      direction: 'down',
      level: 1,
      delivery: 'sent',
    });
    expect(dms).toHaveLength(1);
    expect(dms[0]?.userKey).toBe(ALICE);
    expect(dms[0]?.text).toMatch(/^BAC fell 3\.\d% in 15 min \(\d+\.\d\d → \d+\.\d\d/);
  });

  it('adds no Alert and no DM when the same file is replayed again', async () => {
    const run = await replayOnce();

    expect(run.trades).toBe(generateDemoTradeLines().length - 1);
    expect(run.alertsCreated).toBe(0);
    expect(run.alreadyKnown).toBe(1);
    expect(run.delivered).toBe(0);
    expect(await alertItemsOf(aws, ALICE)).toHaveLength(1);
    expect(dms).toHaveLength(1);
  });
});
