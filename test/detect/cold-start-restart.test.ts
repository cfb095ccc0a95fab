import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { TestAws } from '../helpers/embedded-aws.js';
import {
  alertItemsOf,
  createTestPipeline,
  type DeliveredDm,
  uploadLines,
} from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const START = Date.parse('2024-03-05T10:00:00-05:00');
const MIN = 60_000;
const USER = 'console:restart';

/**
 * 60 simulated minutes, one BAC and one SPY trade a second. BAC climbs to a single 51.00 peak at
 * minute 25, eases to 50.50 by minute 30, holds, then drops 4% between minutes 35 and 37. A 3% / 15m
 * watch alerts when BAC is 3% under the 51.00 peak, a print only an uninterrupted run, or one that
 * restored its windows, still has in the window: measured from 50.50 the crossing would come later.
 */
function scenarioLines(fromMinute: number, toMinute: number): string[] {
  const lines = ['symbol,timestamp,price,size'];
  for (let second = fromMinute * 60; second < toMinute * 60; second += 1) {
    const ts = START + second * 1000;
    lines.push(`BAC,${new Date(ts).toISOString()},${bacPrice(second / 60).toFixed(4)},100`);
    lines.push(`SPY,${new Date(ts + 500).toISOString()},${(500 + 0.01 * (second % 7)).toFixed(4)},100`);
  }
  return lines;
}

function bacPrice(minute: number): number {
  const wiggle = 0.002 * Math.sin(minute * 17);
  if (minute < 25) return 49.9 + (1.09 * minute) / 25 + wiggle;
  if (minute === 25) return 51;
  if (minute < 30) return 50.99 - (0.49 * (minute - 25)) / 5 + wiggle;
  if (minute < 35) return 50.5 + wiggle;
  if (minute < 37) return 50.5 * (1 - (0.04 * (minute - 35)) / 2);
  return 48.48 + wiggle;
}

const WATCH: Watch = {
  userKey: USER,
  symbol: 'BAC',
  thresholdPct: 3,
  window: '15m',
  direction: 'down',
  hours: 'all',
  createdAt: START,
};

async function replay(aws: TestAws, key: string, dms: DeliveredDm[]): Promise<void> {
  const { pipeline } = createTestPipeline(aws, dms);
  await pipeline.start();
  try {
    await pipeline.replay({ bucket: aws.names.bucket, key, speed: 'max' });
    await pipeline.drained();
  } finally {
    // A new LocalPipeline is a new process as far as the detector knows: no windows, no caches.
    await pipeline.stop();
  }
}

describe('a detector restarted mid-stream', () => {
  const uninterrupted = useTestAws();
  const restarted = useTestAws();

  beforeAll(async () => {
    for (const aws of [uninterrupted, restarted]) {
      const { pipeline } = createTestPipeline(aws, []);
      await pipeline.watches.put(WATCH);
      await uploadLines(aws, 'scenario/whole.csv', scenarioLines(0, 60));
      await uploadLines(aws, 'scenario/first-half.csv', scenarioLines(0, 30));
      await uploadLines(aws, 'scenario/second-half.csv', scenarioLines(30, 60));
    }
  });

  it('sends exactly the one alert an uninterrupted run sends', async () => {
    const uninterruptedDms: DeliveredDm[] = [];
    const restartedDms: DeliveredDm[] = [];

    await replay(uninterrupted, 'scenario/whole.csv', uninterruptedDms);
    await replay(restarted, 'scenario/first-half.csv', restartedDms);
    const quotes = new DynamoQuoteRepository(restarted.clients.dynamo, restarted.names.quotesTable);
    const atKill = await quotes.loadQuote('BAC');
    const barsAtKill = await quotes.minuteBarsBetween('BAC', START, START + 60 * MIN);
    await replay(restarted, 'scenario/second-half.csv', restartedDms);

    const expected = await alertItemsOf(uninterrupted, USER);
    const actual = await alertItemsOf(restarted, USER);
    expect(expected).toEqual([
      expect.objectContaining({
        symbol: 'BAC',
        direction: 'down',
        level: 1,
        fromPrice: 51,
        fromTs: START + 25 * MIN,
      }),
    ]);
    expect(actual.map((item) => item.alertId)).toEqual(expected.map((item) => item.alertId));
    expect(actual[0]).toMatchObject({
      fromPrice: 51,
      toPrice: expected[0]?.toPrice,
      toTs: expected[0]?.toTs,
    });
    expect(restartedDms).toHaveLength(1);
    expect(uninterruptedDms).toHaveLength(1);
    // What the restart had to go on: the quote and 29 closed minutes (minute 29 was still open).
    expect(atKill).toMatchObject({ symbol: 'BAC', ts: START + (30 * 60 - 1) * 1000 });
    expect(atKill?.openBar.minute).toBe(START + 29 * MIN);
    expect(barsAtKill.map((bar) => bar.minute)).toEqual(
      Array.from({ length: 29 }, (_, i) => START + i * MIN),
    );
    expect(barsAtKill[25]).toMatchObject({ high: 51, highTs: START + 25 * MIN });
  });
});
