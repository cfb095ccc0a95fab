import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { Alert } from '../../shared/domain/alert.js';
import type { AlertRepository } from '../../shared/ports/alert-repository.js';
import type { Logger } from '../../shared/ports/logger.js';
import { type Messenger, PermanentDeliveryError, type Picture } from '../../shared/ports/messenger.js';
import type { PriceHistory } from '../../shared/ports/price-history.js';
import type { RecipientRepository } from '../../shared/ports/recipient-repository.js';
import { decodeAlertEvent } from '../../shared/records/alert-event-codec.js';
import { decodeOrDivert } from '../kinesis/decode-or-divert.js';
import { composeAlertMessage } from './alert-message.js';
import { renderAlertChart } from './chart/alert-chart.js';
import { forEachLimited } from './for-each-limited.js';

export interface NotifierStats {
  delivered: number;
  duplicates: number;
  failed: number;
  poisonRecords: number;
  /** DMs sent; several alerts of one user in one batch share a DM. */
  messages: number;
}

export function newNotifierStats(): NotifierStats {
  return { delivered: 0, duplicates: 0, failed: 0, poisonRecords: 0, messages: 0 };
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
  readonly onPoisonRecord?: (record: KinesisStreamRecord, reason: string) => Promise<void>;
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
  return async function handleAlerts(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
    const byUser = new Map<string, Pending[]>();
    for (const record of event.Records) {
      const alert = await decode(record, deps, stats);
      if (alert === undefined) continue;
      const pending = byUser.get(alert.userKey);
      if (pending === undefined) byUser.set(alert.userKey, [{ record, alert }]);
      else pending.push({ record, alert });
    }
    const failed: KinesisStreamRecord[] = [];
    const charts: ChartCache = new Map();
    await forEachLimited([...byUser.values()], deps.concurrency ?? DEFAULT_CONCURRENCY, async (pending) => {
      const retry = await deliverToUser(pending, deps, stats, leaseMs, charts);
      failed.push(...retry);
    });
    return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber })) };
  };
}

function decode(
  record: KinesisStreamRecord,
  deps: NotifierDeps,
  stats: NotifierStats,
): Promise<Alert | undefined> {
  const handling = {
    logger: deps.logger,
    stats,
    ...(deps.onPoisonRecord && { onPoisonRecord: deps.onPoisonRecord }),
  };
  return decodeOrDivert(record, decodeAlertEvent, 'alert event', handling);
}

/** Delivers one user's alerts as one DM; returns the records to retry. */
async function deliverToUser(
  pending: readonly Pending[],
  deps: NotifierDeps,
  stats: NotifierStats,
  leaseMs: number,
  charts: ChartCache,
): Promise<KinesisStreamRecord[]> {
  // The chart's query and the claims are independent round trips: run them side by side, and the
  // claims of one user's alerts together (docs/architecture.md, "System proof").
  const firstChart = chartFor((pending[0] as Pending).alert, deps, charts);
  const claims = await Promise.all(pending.map((entry) => deps.alerts.claimDelivery(entry.alert, leaseMs)));
  const claimed = pending.filter((_, i) => claims[i] === 'claimed');
  const busy = pending.filter((_, i) => claims[i] === 'busy');
  stats.duplicates += claims.filter((claim) => claim === 'done').length;
  // A fresh claim held elsewhere may belong to a crashed attempt: retry later, when its lease has run out.
  const retry = busy.map((entry) => entry.record);
  if (claimed.length === 0) {
    await firstChart;
    return retry;
  }
  const alerts = claimed.map((entry) => entry.alert);
  const userKey = (alerts[0] as Alert).userKey;
  try {
    const chart =
      claimed[0] === pending[0] ? await firstChart : await chartFor(alerts[0] as Alert, deps, charts);
    await deps.messenger.sendDirect(userKey, composeAlertMessage(alerts, chart));
  } catch (error) {
    if (error instanceof PermanentDeliveryError) {
      stats.failed += alerts.length;
      deps.logger.warn('alert delivery failed permanently', {
        userKey,
        code: error.code,
        reason: error.message,
      });
      await Promise.all(
        alerts.map((alert) => deps.alerts.finishDelivery(alert, { status: 'failed', reason: error.message })),
      );
      await deps.recipients?.markBlocked(userKey, {
        code: error.code ?? 'unknown',
        reason: error.message,
        at: Date.now(),
      });
      return retry;
    }
    deps.logger.warn('alert delivery failed, will retry', { userKey, error: String(error) });
    await Promise.all(alerts.map((alert) => deps.alerts.releaseDelivery(alert)));
    return [...retry, ...claimed.map((entry) => entry.record)];
  }
  await Promise.all(alerts.map((alert) => deps.alerts.finishDelivery(alert, { status: 'sent' })));
  stats.delivered += alerts.length;
  stats.messages += 1;
  deps.logger.info('alerts delivered', { userKey, alertIds: alerts.map((alert) => alert.alertId) });
  return retry;
}

/** Charts of one batch by symbol, window and move: the watchers of one crossing share one query and render. */
type ChartCache = Map<string, Promise<Picture | undefined>>;

/** A chart is a nicety: when it cannot be drawn the DM goes without it. */
function chartFor(alert: Alert, deps: NotifierDeps, charts: ChartCache): Promise<Picture | undefined> {
  const priceHistory = deps.priceHistory;
  if (priceHistory === undefined) return Promise.resolve(undefined);
  const key = [
    alert.symbol,
    alert.window,
    alert.direction,
    alert.fromTs,
    alert.fromPrice,
    alert.toTs,
    alert.toPrice,
    alert.movePct,
  ].join('|');
  let chart = charts.get(key);
  if (chart === undefined) {
    chart = renderAlertChart(alert, priceHistory).catch((error: unknown) => {
      deps.logger.warn('chart rendering failed', { alertId: alert.alertId, error: String(error) });
      return undefined;
    });
    charts.set(key, chart);
  }
  return chart;
}
