import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import type { DeliveryTiming } from '../../pipeline/notify/delivery-timing.js';
import type { Alert } from '../../shared/domain/alert.js';
import { decodeAlertEvent } from '../../shared/records/alert-event-codec.js';
import { decodeTradeRecord } from '../../shared/records/trade-record-codec.js';
import { type DeliveredCard, expectedFingerprint } from './dm-ledger.js';
import { ALERT_LANES, type BatchRun, StreamBusy, TRADE_LANES } from './stream-busy.js';

export interface StreamRecord {
  readonly sequenceNumber: string;
  /** ApproximateArrivalTimestamp, epoch ms: when the record arrived in Kinesis. */
  readonly arrivedAt: number;
  readonly data: Uint8Array;
  /** Where the runner read it: a batch part holds back only later records of its shard and lane. */
  readonly shardId?: string;
  readonly partitionKey?: string;
}

/** Every record on a stream, shard by shard, from the trim horizon. */
export async function readStream(kinesis: KinesisClient, streamName: string): Promise<StreamRecord[]> {
  const shards = (await kinesis.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
  const records: StreamRecord[] = [];
  for (const shard of shards) {
    let iterator = (
      await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator !== undefined) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of page.Records ?? []) {
        records.push({
          sequenceNumber: record.SequenceNumber ?? '',
          arrivedAt: record.ApproximateArrivalTimestamp?.getTime() ?? 0,
          data: record.Data ?? new Uint8Array(),
          shardId: shard.ShardId ?? '',
          partitionKey: record.PartitionKey ?? '',
        });
      }
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
}

/** One DM's path: trade record arrival → detector start → alert record arrival → notifier start → platform. */
export interface LatencySample {
  readonly totalMs: number;
  /** Whose DM it was (the platform is its prefix). */
  readonly userKey?: string;
  /** The first DM the user received in the run (the first post to their DM channel in this run). */
  readonly firstDm?: boolean;
  /** Waiting for the trades poll plus waiting for the alerts poll. */
  readonly pollWaitMs: number;
  /** The alerts poll's part of the wait: from the alert record's arrival to the notifier starting on it. */
  readonly alertsWaitMs: number;
  /** Where the time went, stage by stage (they add up to totalMs); absent without the DM's timings. */
  readonly stages?: Stages;
}

/**
 * One DM's latency by stage, ms: trade poll wait → detector (batch work, the conditional Alert put and the
 * alerts-stream PutRecord) → alerts poll wait → notifier: claims, then waiting for the chart, then anything
 * else before the send (queueing) → the platform send until the fake received it.
 */
export interface Stages {
  readonly tradeWait: number;
  readonly detector: number;
  readonly alertsWait: number;
  readonly claim: number;
  readonly chartWait: number;
  readonly beforeSend: number;
  readonly send: number;
  /** Of tradeWait and alertsWait: the part the stream's loop spent handling earlier batches (not polling). */
  readonly tradeBusy: number;
  readonly alertsBusy: number;
  /** From the notifier starting on the batch to the chart being ready (it runs beside the claims). */
  readonly chartReady: number;
}

export const STAGE_NAMES = [
  'tradeWait',
  'detector',
  'alertsWait',
  'claim',
  'chartWait',
  'beforeSend',
  'send',
  'tradeBusy',
  'alertsBusy',
  'chartReady',
] as const satisfies readonly (keyof Stages)[];

export interface LatencyInputs {
  readonly expected: readonly Alert[];
  readonly delivered: readonly DeliveredCard[];
  readonly trades: readonly StreamRecord[];
  readonly alerts: readonly StreamRecord[];
  /** stream name → sequence number → when a handler first started on it. */
  readonly handledAt: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly tradesStream: string;
  readonly alertsStream: string;
  /** alert id → the step timings of the DM that delivered it (from the runner). */
  readonly deliveries?: ReadonlyMap<string, DeliveryTiming>;
  /** stream name → its handler runs, to tell a loop busy with earlier batches from one waiting to poll. */
  readonly batchSpans?: ReadonlyMap<string, readonly BatchRun[]>;
}

/** A sample per first delivery of each expected alert, from the crossing trade's record arriving in Kinesis. */
export function latencySamples(inputs: LatencyInputs): LatencySample[] {
  // Cards of one user can read alike (same minute, prices and level): the k-th delivery of a
  // fingerprint is matched with the k-th expected alert and the k-th alert record that carry it.
  const alertsByFingerprint = groupInOrder(inputs.expected, expectedFingerprint);
  const wanted = new Set(inputs.expected.map(tradeKeyOf));
  const tradeRecord = new Map<string, StreamRecord>();
  for (const record of inputs.trades) {
    let trades: ReturnType<typeof decodeTradeRecord>;
    try {
      trades = decodeTradeRecord(record.data);
    } catch {
      continue;
    }
    for (const trade of trades) {
      const key = tradeKeyOf({ symbol: trade.symbol, toTs: trade.ts, toPrice: trade.price });
      if (wanted.has(key) && !tradeRecord.has(key)) tradeRecord.set(key, record);
    }
  }
  const events = inputs.alerts.map((record) => ({ record, alert: decodeAlertEvent(record.data) }));
  const eventById = new Map<string, StreamRecord>();
  for (const { record, alert } of events)
    if (!eventById.has(alert.alertId)) eventById.set(alert.alertId, record);
  const eventsByFingerprint = groupInOrder(
    events.filter(({ record, alert }) => eventById.get(alert.alertId) === record),
    ({ alert }) => expectedFingerprint(alert),
  );
  const tradesHandled = inputs.handledAt.get(inputs.tradesStream);
  const alertsHandled = inputs.handledAt.get(inputs.alertsStream);
  const tradesBusy = new StreamBusy(inputs.batchSpans?.get(inputs.tradesStream), inputs.trades, TRADE_LANES);
  const alertsBusy = new StreamBusy(inputs.batchSpans?.get(inputs.alertsStream), inputs.alerts, ALERT_LANES);
  const samples: LatencySample[] = [];
  const nth = new Map<string, number>();
  const firstCardAt = new Map<string, number>();
  for (const card of inputs.delivered) {
    firstCardAt.set(
      card.userKey,
      Math.min(firstCardAt.get(card.userKey) ?? card.receivedAt, card.receivedAt),
    );
  }
  for (const card of inputs.delivered) {
    const k = nth.get(card.fingerprint) ?? 0;
    nth.set(card.fingerprint, k + 1);
    const alert = alertsByFingerprint.get(card.fingerprint)?.[k];
    const trade = alert && tradeRecord.get(tradeKeyOf(alert));
    const event = eventsByFingerprint.get(card.fingerprint)?.[k]?.record;
    const detectorStart = trade && tradesHandled?.get(trade.sequenceNumber);
    const notifierStart = event && alertsHandled?.get(event.sequenceNumber);
    if (!trade || !event || detectorStart === undefined || notifierStart === undefined) continue;
    const alertsWaitMs = Math.max(0, notifierStart - event.arrivedAt);
    const tradeWaitMs = Math.max(0, detectorStart - trade.arrivedAt);
    const timing = inputs.deliveries?.get(decodeAlertEvent(event.data).alertId);
    samples.push({
      totalMs: card.receivedAt - trade.arrivedAt,
      userKey: card.userKey,
      firstDm: firstCardAt.get(card.userKey) === card.receivedAt,
      pollWaitMs: tradeWaitMs + alertsWaitMs,
      alertsWaitMs,
      ...(timing && {
        stages: {
          tradeWait: tradeWaitMs,
          detector: event.arrivedAt - detectorStart,
          alertsWait: alertsWaitMs,
          claim: timing.claimedAt - notifierStart,
          chartWait: Math.max(0, (timing.chartAt ?? timing.claimedAt) - timing.claimedAt),
          beforeSend: timing.sendStartedAt - Math.max(timing.claimedAt, timing.chartAt ?? timing.claimedAt),
          send: card.receivedAt - timing.sendStartedAt,
          tradeBusy: tradesBusy.within(trade, detectorStart),
          alertsBusy: alertsBusy.within(event, notifierStart),
          chartReady: timing.chartAt === undefined ? 0 : timing.chartAt - notifierStart,
        },
      }),
    });
  }
  return samples;
}

function tradeKeyOf(alert: { symbol: string; toTs: number; toPrice: number }): string {
  return `${alert.symbol}|${alert.toTs}|${alert.toPrice}`;
}

function groupInOrder<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

export interface LatencySummary {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Share of the summed latency spent waiting for a poll (either stream). */
  readonly pollWaitShare: number;
  /** Mean wait for the alerts stream's poll (a random phase would make it half the poll interval). */
  readonly meanAlertsWaitMs: number;
  /** Each stage's p50, p95 and p99, and the stages of the slowest DMs (those at or above p95). */
  readonly stages?: StageSummary;
}

export interface StageSummary {
  readonly samples: number;
  readonly p50: Stages;
  readonly p95: Stages;
  readonly p99: Stages;
  /** Mean of each stage over the DMs at or above the p95 total: what makes the tail. */
  readonly tailMean: Stages;
  /**
   * The send of users' first DMs and of the others, p50 and max: what opening the DM channel ahead (at
   * `/watch`, and beside the claims: Messenger.prepareDirect) targets.
   */
  readonly sendByFirstDm: {
    readonly first: { readonly n: number; readonly p50: number; readonly max: number };
    readonly later: { readonly n: number; readonly p50: number; readonly max: number };
  };
  /** The slowest DMs, stage by stage (total first). */
  readonly slowest: readonly (Stages & { readonly total: number; readonly platform: string })[];
}

/** The value at quantile q of ascending `sorted` (nearest rank below). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function stageSummary(samples: readonly LatencySample[]): StageSummary | undefined {
  const staged = samples.filter((sample) => sample.stages !== undefined);
  if (staged.length === 0) return undefined;
  const stagesOf = (sample: LatencySample) => sample.stages as Stages;
  const at = (q: number) =>
    Object.fromEntries(
      STAGE_NAMES.map((name) => [
        name,
        quantile(
          staged.map((sample) => stagesOf(sample)[name]).sort((a, b) => a - b),
          q,
        ),
      ]),
    ) as unknown as Stages;
  const byTotal = [...staged].sort((a, b) => b.totalMs - a.totalMs);
  const tail = byTotal.slice(0, Math.max(1, Math.ceil(staged.length * 0.05)));
  const tailMean = Object.fromEntries(
    STAGE_NAMES.map((name) => [
      name,
      Math.round(tail.reduce((sum, sample) => sum + stagesOf(sample)[name], 0) / tail.length),
    ]),
  ) as unknown as Stages;
  return {
    samples: staged.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    tailMean,
    sendByFirstDm: {
      first: sendSpread(staged.filter((sample) => sample.firstDm === true).map((s) => stagesOf(s).send)),
      later: sendSpread(staged.filter((sample) => sample.firstDm !== true).map((s) => stagesOf(s).send)),
    },
    slowest: byTotal.slice(0, 5).map((sample) => ({
      total: sample.totalMs,
      platform: `${sample.userKey?.split(':')[0] ?? '?'}${sample.firstDm ? ' (first DM)' : ''}`,
      ...stagesOf(sample),
    })),
  };
}

function sendSpread(sends: readonly number[]): { n: number; p50: number; max: number } {
  const sorted = [...sends].sort((a, b) => a - b);
  return { n: sorted.length, p50: quantile(sorted, 0.5), max: sorted.at(-1) ?? Number.NaN };
}

export function summarise(samples: readonly LatencySample[]): LatencySummary {
  const sorted = samples.map((sample) => sample.totalMs).sort((a, b) => a - b);
  const at = (q: number) => quantile(sorted, q);
  const total = samples.reduce((sum, sample) => sum + sample.totalMs, 0);
  const waiting = samples.reduce((sum, sample) => sum + sample.pollWaitMs, 0);
  return {
    samples: samples.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    pollWaitShare: total === 0 ? 0 : Number((waiting / total).toFixed(3)),
    meanAlertsWaitMs:
      samples.length === 0
        ? Number.NaN
        : Math.round(samples.reduce((sum, sample) => sum + sample.alertsWaitMs, 0) / samples.length),
    ...stagesField(samples),
  };
}

function stagesField(samples: readonly LatencySample[]): { stages?: StageSummary } {
  const stages = stageSummary(samples);
  return stages === undefined ? {} : { stages };
}
