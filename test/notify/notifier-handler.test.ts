import { beforeAll, describe, expect, it } from 'vitest';
import { createNotifierHandler, newNotifierStats } from '../../pipeline/notify/notifier-handler.js';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoRecipientRepository } from '../../shared/aws/dynamo-recipient-repository.js';
import type { Alert } from '../../shared/domain/alert.js';
import type { AlertRepository } from '../../shared/ports/alert-repository.js';
import { type Messenger, PermanentDeliveryError } from '../../shared/ports/messenger.js';
import { encodeAlertEvent } from '../../shared/records/alert-event-codec.js';
import { alertFactory } from '../helpers/alerts.js';
import { kinesisStreamEvent, kinesisStreamRecord } from '../helpers/kinesis-records.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';
import { RecordingMessenger } from '../helpers/recording-messenger.js';
import { useTestAws } from '../helpers/use-test-aws.js';

let nextIndex = 0;
function eventOf(alerts: readonly Alert[]) {
  return kinesisStreamEvent(
    alerts.map((alert) =>
      kinesisStreamRecord(encodeAlertEvent(alert), {
        index: nextIndex++,
        partitionKey: alert.userKey,
        streamName: 'stockalert-alerts',
      }),
    ),
  );
}

describe('notifier handler on the embedded Alerts table', () => {
  const aws = useTestAws();
  let repository: DynamoAlertRepository;
  let recipients: DynamoRecipientRepository;

  beforeAll(async () => {
    repository = new DynamoAlertRepository(aws.clients.dynamo, aws.names.alertsTable);
    recipients = new DynamoRecipientRepository(aws.clients.dynamo, aws.names.recipientsTable);
  });

  async function recorded(overrides: Parameters<typeof alertFactory>[0]): Promise<Alert> {
    const alert = alertFactory(overrides);
    await repository.record(alert);
    return alert;
  }

  function handlerWith(messenger: Messenger, alerts: AlertRepository = repository, claimLeaseMs = 15_000) {
    const stats = newNotifierStats();
    const handler = createNotifierHandler({
      alerts,
      messenger,
      recipients,
      logger: memoryLogger().logger,
      stats,
      claimLeaseMs,
    });
    return { handler, stats };
  }

  it("draws one crossing's chart once for its watchers in concurrent batches, and draws it again after a failed query", async () => {
    const crossing = { symbol: 'XOM', movePct: 5.2 };
    const watchers = await Promise.all(
      ['discord:200000000000000031', 'discord:200000000000000032', 'discord:200000000000000033'].map(
        (userKey) => recorded({ ...crossing, userKey }),
      ),
    );
    let queries = 0;
    const messenger = new RecordingMessenger();
    const handler = createNotifierHandler({
      alerts: repository,
      messenger,
      recipients,
      logger: memoryLogger().logger,
      priceHistory: {
        pricesBetween: async (_symbol, fromTs, toTs) => {
          queries += 1;
          if (queries === 1) throw new Error('throttled');
          return [
            { ts: fromTs, price: 13.92 },
            { ts: toTs, price: 13.35 },
          ];
        },
      },
    });

    await handler(eventOf(watchers.slice(0, 1)));
    await Promise.all(watchers.slice(1).map((watcher) => handler(eventOf([watcher]))));

    // The failed query is not kept: the first DM's send asks again, and the later batches share that chart.
    expect(queries).toBe(2);
    expect(messenger.sent.map((dm) => dm.message.chart !== undefined)).toEqual([true, true, true]);
  });

  it('sends one DM when the same alert event is delivered twice', async () => {
    const alert = await recorded({ userKey: 'discord:200000000000000001' });
    const messenger = new RecordingMessenger();
    const { handler, stats } = handlerWith(messenger);

    await handler(eventOf([alert]));
    await handler(eventOf([alert]));

    expect(messenger.sent).toHaveLength(1);
    expect(stats).toMatchObject({ delivered: 1, duplicates: 1, messages: 1 });
  });

  it("groups one user's alerts in a batch into one DM, and keeps users apart", async () => {
    const alice = 'discord:200000000000000002';
    const bob = 'slack:T1:U2';
    const alerts = [
      await recorded({ userKey: alice, symbol: 'BAC' }),
      await recorded({ userKey: bob, symbol: 'BAC' }),
      await recorded({ userKey: alice, symbol: 'IBM' }),
      await recorded({ userKey: alice, symbol: 'SPY' }),
    ];
    const messenger = new RecordingMessenger();
    const { handler, stats } = handlerWith(messenger);

    const response = await handler(eventOf(alerts));

    expect(response.batchItemFailures).toEqual([]);
    expect(messenger.sent.map((sent) => [sent.userKey, sent.message.cards?.length])).toEqual(
      expect.arrayContaining([
        [alice, 3],
        [bob, 1],
      ]),
    );
    expect(messenger.sent).toHaveLength(2);
    expect(stats).toMatchObject({ delivered: 4, messages: 2 });
  });

  it('records a permanent refusal on the alert and the recipient, and moves on', async () => {
    const userKey = 'discord:200000000000000003';
    const alert = await recorded({ userKey });
    const messenger = new RecordingMessenger();
    messenger.failNext = new PermanentDeliveryError('Cannot send messages to this user', { code: '50007' });
    const { handler, stats } = handlerWith(messenger);

    const response = await handler(eventOf([alert]));

    expect(response.batchItemFailures).toEqual([]);
    expect(stats.failed).toBe(1);
    expect(await recipients.blocked(userKey)).toMatchObject({ code: '50007' });
    expect(await repository.claimDelivery(alert, 0)).toBe('done');
    await handler(eventOf([alert]));
    expect(messenger.sent).toHaveLength(0);
  });

  it('gives the claim back on a transient failure and delivers once on the retry', async () => {
    const alert = await recorded({ userKey: 'discord:200000000000000004' });
    const messenger = new RecordingMessenger();
    messenger.failNext = new Error('503 Service Unavailable');
    const { handler } = handlerWith(messenger);
    const event = eventOf([alert]);

    const first = await handler(event);
    const second = await handler(event);

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.kinesis.sequenceNumber }]);
    expect(second.batchItemFailures).toEqual([]);
    expect(messenger.sent).toHaveLength(1);
  });

  it('after a crash between send and record, retries later with the same idempotency key', async () => {
    const alert = await recorded({ userKey: 'discord:200000000000000005' });
    const messenger = new RecordingMessenger();
    // The process "dies" right after the DM went out: the sent mark is never written.
    const crashing: AlertRepository = Object.assign(Object.create(repository) as AlertRepository, {
      finishDelivery: async () => {
        throw new Error('process killed');
      },
    });
    await expect(handlerWith(messenger, crashing, 200).handler(eventOf([alert]))).rejects.toThrow(
      'process killed',
    );

    const restarted = handlerWith(messenger, repository, 200);
    const tooSoon = await restarted.handler(eventOf([alert]));
    expect(tooSoon.batchItemFailures).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const afterLease = await restarted.handler(eventOf([alert]));

    expect(afterLease.batchItemFailures).toEqual([]);
    expect(messenger.sent).toHaveLength(2);
    expect(messenger.sent[1]?.message.idempotencyKey).toBe(messenger.sent[0]?.message.idempotencyKey);
    expect(await repository.claimDelivery(alert, 0)).toBe('done');
  });

  it('lets only one of two racing notifiers send', async () => {
    const alert = await recorded({ userKey: 'discord:200000000000000006' });
    const messenger = new RecordingMessenger();
    const one = handlerWith(messenger);
    const two = handlerWith(messenger);

    await Promise.all([one.handler(eventOf([alert])), two.handler(eventOf([alert]))]);

    expect(messenger.sent).toHaveLength(1);
  });
});
