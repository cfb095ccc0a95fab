/**
 * What the pipeline counts. Lambdas publish them to CloudWatch as EMF (Powertools Metrics); local
 * runs keep their own running totals (`DetectorStats`, `NotifierStats`) and pass `NO_METRICS`.
 */
export const METRIC_UNITS = {
  /** Trades decoded by the detector. */
  Trades: 'Count',
  /** Kinesis records a handler received. */
  Records: 'Count',
  /** Records that can never decode, sent to the on-failure destination. */
  PoisonRecords: 'Count',
  /** Alerts the detector recorded for the first time. */
  Alerts: 'Count',
  /** Alerts delivered by DM. */
  Deliveries: 'Count',
  /** Alerts that can never be delivered (no messenger, DMs blocked). */
  PermanentFailures: 'Count',
  /** From the alert event's arrival on the alerts stream to the platform accepting the DM. */
  DeliveryLatency: 'Milliseconds',
} as const;

export type MetricName = keyof typeof METRIC_UNITS;

export interface Metrics {
  /** Adds `value` (a count, or milliseconds for a latency) to the invocation's metric `name`. */
  add(name: MetricName, value: number): void;
}

/** Metrics that go nowhere: local runs, and tests that do not assert on metrics. */
export const NO_METRICS: Metrics = { add() {} };
