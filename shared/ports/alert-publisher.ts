import type { Alert } from '../domain/alert.js';

/** Hands decided alerts to the delivery stage (the `alerts` stream). */
export interface AlertPublisher {
  publish(alerts: readonly Alert[]): Promise<void>;
}
