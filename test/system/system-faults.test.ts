import { describe, expect, it } from 'vitest';
import { HOUR_BAR_FILE, haveDataFile, TICK_FILE } from '../oracle/market-data-files.js';
import { seededFaultPlan } from './fault-schedule.js';
import { BAR_MIX, barTrades, byTime, seedWatches, TICK_MIX, tickTrades } from './system-data.js';
import { runSystem } from './system-harness.js';

const haveData =
  haveDataFile(TICK_FILE, 'the system fault run') && haveDataFile(HOUR_BAR_FILE, 'the system fault run');

describe.skipIf(!haveData)('the whole system under a seeded schedule of faults', () => {
  it('delivers every alert the oracle expects exactly once, through kills, throttling, 429s and a poison record', async () => {
    const trades = byTime(
      await barTrades([
        ['2008-09-12T00:00:00-04:00', '2008-09-17T00:00:00-04:00'],
        ['2010-05-05T00:00:00-04:00', '2010-05-08T00:00:00-04:00'],
      ]),
      await tickTrades('2013-10-07T09:30:00-04:00', '2013-10-07T09:45:00-04:00'),
    );
    const watches = seedWatches(13, 120, [TICK_MIX, BAR_MIX]);
    const discordWatches = watches.filter((watch) => watch.userKey.startsWith('discord:')).slice(0, 12);

    const run = await runSystem({
      trades,
      watches: watches.filter((watch) => !discordWatches.includes(watch)),
      discordWatches,
      speed: 'max',
      pollMs: 20,
      claimLeaseMs: 1_500,
      faults: seededFaultPlan(13, { kills: 1, bursts: 2 }),
    });

    expect(run.verdict.expected).toBeGreaterThan(20);
    expect(run.verdict.examples).toEqual([]);
    expect(run.verdict).toMatchObject({ lost: 0, duplicated: 0, spurious: 0 });
    expect(run.faults.killsBeforeEmit + run.faults.killsBeforeDeliveryRecord).toBeGreaterThan(0);
    expect(run.faults.dynamoErrors).toBeGreaterThan(0);
    expect(run.faults.kinesisErrors).toBeGreaterThan(0);
    expect(run.faults.platform429s + run.faults.platform5xx).toBeGreaterThan(0);
    expect(run.poisonRecords).toBe(1);
    expect(run.rejected).toBe(3);
    expect(run.faults.gatewayDrops).toBe(1);
  }, 120_000);
});
