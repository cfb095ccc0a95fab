/** One alert as the parts every platform shows: a headline, the numbers, and how to tune it. */
export interface AlertCard {
  /** `BAC fell 4.1% in 15 min`, or `BAC is now down 8.3% in 15 min` for an escalation. */
  readonly title: string;
  /** `13.92 → 13.35 · 10:02 → 10:09 ET · after hours` */
  readonly detail: string;
  /** `Your alert: 3% over 15m.` */
  readonly rule: string;
  /** `Tune it with /watch BAC 6% 15m, or mute it with /unwatch BAC.` */
  readonly tuning: string;
  readonly direction: 'up' | 'down';
  readonly escalation: boolean;
}

/** A PNG picture to attach. */
export interface Picture {
  readonly fileName: string;
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** What the picture shows, for screen readers and text-only clients. */
  readonly altText: string;
}

/** A rendered direct message: plain text for every client, and richer parts adapters may use. */
export interface DirectMessage {
  readonly text: string;
  readonly cards?: readonly AlertCard[];
  readonly chart?: Picture;
  /**
   * The same on every attempt to deliver the same content (Discord's message nonce), so a platform
   * that deduplicates drops a repeat.
   */
  readonly idempotencyKey?: string;
}

/** Sends direct messages on one platform. */
export interface Messenger {
  sendDirect(userKey: string, message: DirectMessage): Promise<void>;
}

/** A send that will never succeed (blocked DMs, unknown user): recorded, not retried. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
  /** The platform's own code, e.g. Discord 50007 or Slack `user_not_found`. */
  readonly code: string | undefined;

  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = options?.code;
  }
}
