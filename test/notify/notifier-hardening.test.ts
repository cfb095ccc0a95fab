import { beforeAll, describe, expect, it } from 'vitest';
import { createNotifierHandler, newNotifierStats } from '../../pipeline/notify/notifier-handler.js';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import type { Alert } from '../../shared/domain/alert.js';
import type { AlertRepository, DeliveryOutcome } from '../../shared/ports/alert-repository.js';
import { alertFactory, alertsStreamEvent } from '../helpers/alerts.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';
import { RecordingMessenger } from '../helpers/recording-messenger.js';
import { useTestAws } from '../helpers/use-test-aws.js';

/** The real repository, whose first `failures` "finish" writes fail as a throttled DynamoDB would. */
function withFlakyFinish(repository: AlertRepository, failures: number): AlertRepository {
  let left = failures;
  return {
    record: (alert) => repository.record(alert),
    markEmitted: (alert) => repository.markEmitted(alert),
    claimDelivery: (alert, leaseMs) => repository.claimDelivery(alert, leaseMs),
    releaseDelivery: (alert) => repository.releaseDelivery(alert),
    finishDelivery: async (alert: Alert, outcome: DeliveryOutcome) => {
      if (left > 0) {
        left -= 1;
        throw new Error('ProvisionedThroughputExceededException');
      }
      return repository.finishDelivery(alert, outcome);
    },
  };
}

describe('notifier hardening', () => {
  const aws = useTestAws();
  let repository: DynamoAlertRepository;

  beforeAll(async () => {
    repository = new DynamoAlertRepository(aws.clients.dynamo, aws.names.alertsTable);
  });

  function handlerWith(messenger: RecordingMessenger, alerts: AlertRepository, claimLeaseMs: number) {
    const stats = newNotifierStats();
    const poison: string[] = [];
    const handler = createNotifierHandler({
      alerts,
      messenger,
      logger: memoryLogger().logger,
      stats,
      claimLeaseMs,
      poisonSink: {
        divert: async (_stream, _record, reason) => {
          poison.push(reason);
        },
      },
    });
    return { handler, stats, poison };
  }

  it('sends one DM when the "sent" write fails at first, even after the claim lease has run out', async () => {
    const alert = alertFactory({ userKey: 'slack:T0FAKE0001:U0MARK001' });
    await repository.record(alert);
    const messenger = new RecordingMessenger();

    const first = handlerWith(messenger, withFlakyFinish(repository, 2), 400);
    const response = await first.handler(alertsStreamEvent([alert]));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const redelivered = handlerWith(messenger, repository, 400);
    await redelivered.handler(alertsStreamEvent([alert]));

    expect(response.batchItemFailures).toEqual([]);
    expect(messenger.sent).toHaveLength(1);
    expect(redelivered.stats.duplicates).toBe(1);
  });

  it('lets a holder whose lease ran out record nothing over the attempt that took the claim over', async () => {
    let clock = 1_000_000;
    const slow = new DynamoAlertRepository(aws.clients.dynamo, aws.names.alertsTable, () => clock);
    const takeover = new DynamoAlertRepository(aws.clients.dynamo, aws.names.alertsTable, () => clock);
    const alert = alertFactory({ userKey: 'slack:T0FAKE0001:U0LEASE01' });
    await slow.record(alert);

    expect(await slow.claimDelivery(alert, 1_000)).toBe('claimed');
    clock += 5_000;
    expect(await takeover.claimDelivery(alert, 1_000)).toBe('claimed');

    expect(await slow.finishDelivery(alert, { status: 'failed', reason: 'late' })).toBe(false);
    await slow.releaseDelivery(alert);
    expect(await takeover.claimDelivery(alert, 60_000)).toBe('busy');
    expect(await takeover.finishDelivery(alert, { status: 'sent' })).toBe(true);
    expect(await takeover.claimDelivery(alert, 0)).toBe('done');
  });

  it('diverts an alert event with a timestamp of 1e17 as poison and still delivers the good one beside it', async () => {
    const good = alertFactory({ userKey: 'discord:300000000000000901' });
    await repository.record(good);
    const bad = Buffer.from(
      JSON.stringify({ ...alertFactory({ userKey: 'discord:300000000000000902' }), toTs: 1e17 }),
    );
    const messenger = new RecordingMessenger();

    const { handler, stats, poison } = handlerWith(messenger, repository, 15_000);
    const response = await handler(alertsStreamEvent([bad, good]));

    expect(response.batchItemFailures).toEqual([]);
    expect(stats).toMatchObject({ poisonRecords: 1, delivered: 1 });
    expect(poison[0]).toMatch(/toTs/);
    expect(messenger.sent.map((dm) => dm.userKey)).toEqual([good.userKey]);
  });
});
