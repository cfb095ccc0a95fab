import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { forEachLimited } from '../../shared/async/for-each-limited.js';
import type { Alert } from '../../shared/domain/alert.js';
import { MAX_ALERTS_PER_MESSAGE } from '../../shared/domain/platform-limits.js';
import type { AlertRepository } from '../../shared/ports/alert-repository.js';
import type { Logger } from '../../shared/ports/logger.js';
import {
  DELIVERY_CREDENTIALS_ALARM,
  type DirectDelivery,
  type Messenger,
  OperatorDeliveryError,
  PermanentDeliveryError,
} from '../../shared/ports/messenger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import type { PoisonRecordSink } from '../../shared/ports/poison-record-sink.js';
import type { PriceHistory } from '../../shared/ports/price-history.js';
import type { RecipientRepository } from '../../shared/ports/recipient-repository.js';
import { decodeAlertEvent } from '../../shared/records/alert-event-codec.js';
import { decodeOrDivert } from '../kinesis/decode-or-divert.js';
import { AlertChartCache } from './alert-chart-cache.js';
import { composeAlertMessage, idempotencyKeyOf } from './alert-message.js';
import { warmAlertCharts } from './chart/alert-chart.js';
import type { DeliveryObserver } from './delivery-timing.js';
import { retryInPlace } from './retry-in-place.js';

export interface NotifierStats {
  delivered: number;
  duplicates: number;
  failed: number;
  poisonRecords: number;
  /** DMs sent; several alerts of one user in one batch share a DM. */
  messages: number;
  /** Sends refused for the bot's own credentials or scopes (DELIVERY_CREDENTIALS_ALARM). */
  operatorErrors: number;
}

export function newNotifierStats(): NotifierStats {
  return { delivered: 0, duplicates: 0, failed: 0, poisonRecords: 0, messages: 0, operatorErrors: 0 };
}

export interface NotifierDeps {
  readonly alerts: AlertRepository;
  readonly messenger: Messenger;
  readonly logger: Logger;
  readonly stats?: NotifierStats;
  /** Where permanent refusals are remembered, so the bot can tell the user. */
  readonly recipients?: RecipientRepository;
  /** Prices for the chart; without it there is no chart. */
  readonly priceHistory?: PriceHistory;
  /** DMs in flight at once across users (the platform clients queue by rate limit behind this). */
  readonly concurrency?: number;
  /** A `sending` claim older than this is taken over as abandoned (see DynamoAlertRepository). */
  readonly claimLeaseMs?: number;
  /** The on-failure destination for poison records (a dead-letter file locally, an SQS queue in the cloud). */
  readonly poisonSink?: PoisonRecordSink;
  /** Deliveries, permanent failures, delivery latency and poison records (EMF in Lambda). */
  readonly metrics?: Metrics;
  /** Sees each DM's step timings (latency measurements). */
  readonly observeDelivery?: DeliveryObserver;
}

interface Pending {
  readonly record: KinesisStreamRecord;
  readonly alert: Alert;
}

/**
 * As many recipients in flight as a batch can hold (the event source's batch size): with 16, the 17th
 * user waited for another user's whole delivery. The platform clients queue by rate limit behind this.
 */
const DEFAULT_CONCURRENCY = 100;
const DEFAULT_CLAIM_LEASE_MS = 15_000;

/**
 * The `alerts` stream handler. A user's alerts in one batch become one DM. Each alert is claimed in
 * the Alerts table (pending → sending) before the DM and marked sent after it, so a redelivered event
 * or a racing instance sends nothing twice; the DM carries an idempotency key for the crash between
 * the two. A transient failure gives the claims back and reports the user's records as batch item
 * failures, so the event source retries from there; a permanent one is recorded and the stream moves on.
 */
export function createNotifierHandler(deps: NotifierDeps) {
  const stats = deps.stats ?? newNotifierStats();
  const leaseMs = deps.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  // At start-up (a Lambda's init), not on the first alert: see warmChartRenderer. `ready` lets a runner
  // start reading the stream only once it is done, so that it does not hold up the first batch's DMs.
  const ready = deps.priceHistory === undefined ? Promise.resolve() : warmAlertCharts();
  // So is the platforms' connection (Messenger.warm): the first burst of DMs found none open.
  void deps.messenger.warm?.();
  // Across batches, not per batch: with a parallelisation factor above 1 the watchers of one crossing
  // arrive in several concurrent batches (one per lane), which would each query and render the same chart.
  const charts = new AlertChartCache(deps.priceHistory, deps.logger);
  return Object.assign(handleAlerts, { ready });
  async function handleAlerts(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
    const batchStartedAt = Date.now();
    const byUser = new Map<string, Pending[]>();
    for (const record of event.Records) {
      const alert = await decode(record, deps, stats);
      if (alert === undefined) continue;
      const pending = byUser.get(alert.userKey);
      if (pending === undefined) byUser.set(alert.userKey, [{ record, alert }]);
      else pending.push({ record, alert });
    }
    const failed: KinesisStreamRecord[] = [];
    await forEachLimited([...byUser.values()], deps.concurrency ?? DEFAULT_CONCURRENCY, async (pending) => {
      const retry = await deliverToUser(pending, deps, stats, leaseMs, charts, batchStartedAt);
      failed.push(...retry);
    });
    return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber })) };
  }
}

function decode(
  record: KinesisStreamRecord,
  deps: NotifierDeps,
  stats: NotifierStats,
): Promise<Alert | undefined> {
  const handling = {
    logger: deps.logger,
    stats,
    ...(deps.metrics && { metrics: deps.metrics }),
    ...(deps.poisonSink && { poisonSink: deps.poisonSink }),
  };
  return decodeOrDivert(record, decodeAlertEvent, 'alert event', handling);
}

/** Delivers one user's alerts as one DM; returns the records to retry. */
async function deliverToUser(
  pending: readonly Pending[],
  deps: NotifierDeps,
  stats: NotifierStats,
  leaseMs: number,
  charts: AlertChartCache,
  batchStartedAt: number,
): Promise<KinesisStreamRecord[]> {
  // The chart's query and the claims are independent round trips: run them side by side, and the
  // claims of one user's alerts together (docs/architecture.md, "System proof").
  const firstChart = charts.chartFor((pending[0] as Pending).alert);
  // So is opening a first DM's channel (200–300 ms on Discord): the send joins it (Messenger.prepareDirect).
  const prepared = deps.messenger.prepareDirect?.((pending[0] as Pending).alert.userKey);
  // Each alert is claimed with the key of the message it is planned for; an alert whose earlier attempt
  // crashed between sending and recording keeps that attempt's key, so it is sent under it again.
  const planned = plannedMessageKeys(pending);
  const claims = await Promise.all(
    pending.map((entry, i) => deps.alerts.claimDelivery(entry.alert, leaseMs, planned[i])),
  );
  const claimedAt = Date.now();
  const claimed = pending.filter((_, i) => claims[i] === 'claimed');
  const busy = pending.filter((_, i) => claims[i] === 'busy');
  stats.duplicates += claims.filter((claim) => claim === 'done').length;
  // A fresh claim held elsewhere may belong to a crashed attempt: retry later, when its lease has run out.
  const retry = busy.map((entry) => entry.record);
  if (claimed.length === 0) {
    await Promise.all([firstChart, prepared]);
    return retry;
  }
  // One DM per message key: at most MAX_ALERTS_PER_MESSAGE alerts (the platforms' limits), since a key
  // is planned for one such chunk. Each group is sent and marked on its own, so a failure of a later
  // group never sends an earlier one again.
  const plannedKeyOf = new Map(pending.map((entry, i) => [entry, planned[i] as string]));
  const byKey = new Map<string, Pending[]>();
  for (const entry of claimed) {
    const key = deps.alerts.messageKeyOf?.(entry.alert) ?? (plannedKeyOf.get(entry) as string);
    const group = byKey.get(key);
    if (group === undefined) byKey.set(key, [entry]);
    else group.push(entry);
  }
  const groups = [...byKey.entries()];
  for (const [index, [key, group]] of groups.entries()) {
    const steps = { batchStartedAt, claimedAt };
    const outcome = await deliverGroup(group, key, index === 0, deps, stats, leaseMs, charts, steps);
    if (outcome === 'sent-or-failed') continue;
    const later = groups.slice(index + 1).flatMap(([, entries]) => entries);
    await Promise.all(later.map((entry) => deps.alerts.releaseDelivery(entry.alert)));
    return [...retry, ...group.map((entry) => entry.record), ...later.map((entry) => entry.record)];
  }
  return retry;
}

/** The message key each alert is planned for: chunks of MAX_ALERTS_PER_MESSAGE, in batch order. */
function plannedMessageKeys(pending: readonly Pending[]): string[] {
  const keys: string[] = [];
  for (let start = 0; start < pending.length; start += MAX_ALERTS_PER_MESSAGE) {
    const chunk = pending.slice(start, start + MAX_ALERTS_PER_MESSAGE);
    const key = idempotencyKeyOf(chunk.map((entry) => entry.alert));
    for (const _ of chunk) keys.push(key);
  }
  return keys;
}

/** Sends one DM for a group of claimed alerts; `retry` when the group was released for a later attempt. */
async function deliverGroup(
  group: readonly Pending[],
  messageKey: string,
  withChart: boolean,
  deps: NotifierDeps,
  stats: NotifierStats,
  leaseMs: number,
  charts: AlertChartCache,
  steps: { readonly batchStartedAt: number; readonly claimedAt: number },
): Promise<'sent-or-failed' | 'retry'> {
  const alerts = group.map((entry) => entry.alert);
  const userKey = (alerts[0] as Alert).userKey;
  let chartAt: number | undefined;
  let sendStartedAt: number;
  let sentAt: number;
  let delivery: DirectDelivery | undefined;
  try {
    // The first group's chart was started beside the claims (the cache shares it).
    const chart = withChart ? await charts.chartFor(alerts[0] as Alert) : undefined;
    if (withChart) chartAt = Date.now();
    sendStartedAt = Date.now();
    delivery = await deps.messenger.sendDirect(userKey, {
      ...composeAlertMessage(alerts, chart),
      idempotencyKey: messageKey,
    });
    sentAt = Date.now();
  } catch (error) {
    if (error instanceof PermanentDeliveryError) {
      stats.failed += alerts.length;
      deps.metrics?.add('PermanentFailures', alerts.length);
      deps.logger.warn('alert delivery failed permanently', {
        userKey,
        code: error.code,
        scope: error.scope,
        reason: error.message,
      });
      await Promise.all(
        alerts.map((alert) => deps.alerts.finishDelivery(alert, { status: 'failed', reason: error.message })),
      );
      // Only a refusal on the user's side is theirs to hear about; a refused message form is our bug.
      if (error.scope === 'recipient') {
        await deps.recipients?.markBlocked(userKey, {
          code: error.code ?? 'unknown',
          reason: error.message,
          at: Date.now(),
        });
      }
      return 'sent-or-failed';
    }
    if (error instanceof OperatorDeliveryError) {
      // The bot's credentials: every user fails alike, nobody is blamed, the alerts stay pending.
      stats.operatorErrors += 1;
      deps.logger.error('platform refused the bot credentials, alerts kept pending', {
        alarm: DELIVERY_CREDENTIALS_ALARM,
        platform: error.platform,
        code: error.code,
        userKey,
        error,
      });
    } else {
      deps.logger.warn('alert delivery failed, will retry', { userKey, error });
    }
    await Promise.all(alerts.map((alert) => deps.alerts.releaseDelivery(alert)));
    return 'retry';
  }
  // The DM is out: the mark is retried here, within half the lease, so that a redelivery of the batch
  // cannot find the claim expired and send again. A claim lost meanwhile is the other attempt's to finish.
  // The rest of the DM (a Slack chart shared into its thread) goes on meanwhile: it cannot fail the DM.
  const [marked] = await Promise.all([
    Promise.all(
      alerts.map((alert) =>
        retryInPlace(() => deps.alerts.finishDelivery(alert, { status: 'sent' }), leaseMs / 2),
      ),
    ),
    delivery?.followUp,
  ]);
  if (marked.includes(false)) deps.logger.warn('delivery claim lost before the sent mark', { userKey });
  deps.observeDelivery?.({
    alertIds: alerts.map((alert) => alert.alertId),
    ...steps,
    chartAt,
    sendStartedAt,
    sentAt,
    markedAt: Date.now(),
  });
  stats.delivered += alerts.length;
  stats.messages += 1;
  recordDeliveryMetrics(group, deps);
  deps.logger.info('alerts delivered', { userKey, alertIds: alerts.map((alert) => alert.alertId) });
  return 'sent-or-failed';
}

/** Deliveries, and each alert's latency from its arrival on the alerts stream to the DM being accepted. */
function recordDeliveryMetrics(delivered: readonly Pending[], deps: NotifierDeps): void {
  if (deps.metrics === undefined) return;
  deps.metrics.add('Deliveries', delivered.length);
  const now = Date.now();
  for (const { record } of delivered) {
    deps.metrics.add('DeliveryLatency', Math.max(0, now - record.kinesis.approximateArrivalTimestamp * 1000));
  }
}
