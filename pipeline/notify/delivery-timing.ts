/**
 * When each step of one DM's delivery finished (epoch ms), for latency measurements: the harness
 * splits the time from the notifier starting on a batch to the platform accepting the DM into these
 * stages (docs/architecture.md, "System proof").
 */
export interface DeliveryTiming {
  readonly alertIds: readonly string[];
  /** The handler started on the batch that held these alerts. */
  readonly batchStartedAt: number;
  /** The user's claims were all answered. */
  readonly claimedAt: number;
  /** The chart was ready (or given up on); undefined when the DM went without waiting for one. */
  readonly chartAt: number | undefined;
  /** The DM was handed to the platform client. */
  readonly sendStartedAt: number;
  /** The platform client returned. */
  readonly sentAt: number;
  /** The alerts were marked sent. */
  readonly markedAt: number;
}

/** Sees each DM's timings once it is marked sent. */
export type DeliveryObserver = (timing: DeliveryTiming) => void;
