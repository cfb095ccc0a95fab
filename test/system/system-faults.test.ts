import { describe, expect, it } from 'vitest';
import { HOUR_BAR_FILE, haveDataFile, TICK_FILE } from '../oracle/market-data-files.js';
import { seededFaultPlan } from './fault-schedule.js';
import { BAR_MIX, barTrades, byTime, seedWatches, TICK_MIX, tickTrades } from './system-data.js';
import { runSystem } from './system-harness.js';

const haveData =
  haveDataFile(TICK_FILE, 'the system fault run') && haveDataFile(HOUR_BAR_FILE, 'the system fault run');

describe.skipIf(!haveData)('the whole system under a seeded schedule of faults', () => {
  it('delivers every alert the oracle expects exactly once, through runner kills (before the emit, before the delivery record), throttling, stream errors, 429 storms, 5xx bursts, a poison record and a gateway drop', async () => {
    const trades = byTime(
      // Not 2008-09-15: AIG's swings that day put more than 10 alerts in one user's DM, and a Discord DM
      // carries 10 embeds (the notifier drops the rest until it splits messages); bench:e2e includes it.
      await barTrades([['2010-05-06T00:00:00-04:00', '2010-05-07T00:00:00-04:00']]),
      await tickTrades('2013-10-07T09:30:00-04:00', '2013-10-07T09:33:00-04:00'),
    );
    const watches = seedWatches(13, 60, [
      // 5m and 15m from 0.3 %: 0.2 % over 1m at the open can put more than 10 alerts in one user's batch too.
      { ...TICK_MIX, windows: ['5m', '15m'], thresholds: [0.3, 0.5] },
      { ...BAR_MIX, thresholds: [5, 8, 15] },
    ]);
    const discordWatches = watches.filter((watch) => watch.userKey.startsWith('discord:')).slice(0, 12);

    const run = await runSystem({
      trades,
      watches: watches.filter((watch) => !discordWatches.includes(watch)),
      discordWatches,
      speed: 'max',
      pollMs: 20,
      claimLeaseMs: 1_500,
      // One kill at each point: at the 2nd alerts-stream emit, and at the 3rd delivery record.
      faults: seededFaultPlan(13, { kills: 1, bursts: 2 }),
    });

    expect(run.verdict.expected).toBeGreaterThan(15);
    expect(run.verdict.examples).toEqual([]);
    expect(run.failedBatchReasons).toEqual([]);
    expect(run.verdict).toMatchObject({ lost: 0, duplicated: 0, spurious: 0 });
    expect(run.faults).toMatchObject({ killsBeforeEmit: 1, killsBeforeDeliveryRecord: 1 });
    expect(run.faults.dynamoErrors).toBeGreaterThan(0);
    expect(run.faults.kinesisErrors).toBeGreaterThan(0);
    expect(run.faults.platform429s + run.faults.platform5xx).toBeGreaterThan(0);
    expect(run.poisonRecords).toBe(1);
    expect(run.rejected).toBe(3);
    expect(run.faults.gatewayDrops).toBe(1);
  }, 240_000);
});
