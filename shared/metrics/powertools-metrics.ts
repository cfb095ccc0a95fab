import { Metrics as Powertools } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { METRIC_UNITS, type MetricName, type Metrics } from '../ports/metrics.js';

/** The Metrics port on Powertools Metrics: CloudWatch embedded metric format (EMF) on stdout. */
export class PowertoolsMetrics implements Metrics {
  private readonly metrics: Powertools;

  constructor(namespace: string, serviceName: string) {
    this.metrics = new Powertools({ namespace, serviceName });
  }

  add(name: MetricName, value: number): void {
    if (value === 0 && METRIC_UNITS[name] === 'Count') return;
    this.metrics.addMetric(name, METRIC_UNITS[name], value);
  }

  /** Once per invocation, before the handler: a `ColdStart` metric on the first one. */
  startInvocation(context: Context): void {
    this.metrics.captureColdStartMetric(context.functionName);
  }

  /** Once per invocation, after the handler: one EMF line with what it stored. */
  flush(): void {
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }
}
