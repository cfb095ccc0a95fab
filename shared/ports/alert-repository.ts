import type { Alert } from '../domain/alert.js';

export interface RecordedAlert {
  /** True when this call wrote the alert; false when an earlier run or retry already had. */
  readonly created: boolean;
  /** True once the alert event is known to be on the alerts stream. */
  readonly emitted: boolean;
}

/**
 * The result of trying to claim an alert's delivery: `claimed` (send it now), `done` (already sent or
 * failed for good), or `busy` (another attempt holds a fresh claim; it may have crashed, so try later).
 */
export type DeliveryClaim = 'claimed' | 'done' | 'busy';

export type DeliveryOutcome =
  | { readonly status: 'sent' }
  | { readonly status: 'failed'; readonly reason: string };

/** The Alerts table: idempotency of detection and delivery. */
export interface AlertRepository {
  /** Writes the alert unless an alert with its id exists (conditional put). */
  record(alert: Alert): Promise<RecordedAlert>;
  markEmitted(alert: Alert): Promise<void>;
  /**
   * Claims the right to send the DM for this alert: from `pending`, or from a `sending` claim older
   * than `leaseMs` (its holder crashed between sending and recording).
   */
  claimDelivery(alert: Alert, leaseMs: number, messageKey?: string): Promise<DeliveryClaim>;
  /**
   * The message key a claimed alert must be sent under: the key of the first claim it ever had (the
   * `messageKey` passed to claimDelivery then). A retry after a crash between sending and recording may
   * group the user's alerts differently; sending under the first key lets the platform's idempotency
   * (Discord's nonce) recognise the message it already has. Undefined without a claim or a key.
   */
  messageKeyOf?(alert: Alert): string | undefined;
  /** Gives a claim back after a transient failure so a retry can claim it again; only a claim still held. */
  releaseDelivery(alert: Alert): Promise<void>;
  /**
   * Records the outcome, only while this caller still holds the claim it took with claimDelivery. False
   * when the claim was lost (its lease ran out and another attempt took it over): nothing was written.
   * A write that fails (throws) keeps the claim, so the caller can retry it in place.
   */
  finishDelivery(alert: Alert, outcome: DeliveryOutcome): Promise<boolean>;
}
