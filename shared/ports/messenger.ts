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

/**
 * Gets a user ready to be DMed: opens their DM channel with the platform if none is known yet and
 * stores it where delivery reads it (the Recipients table), so their first alert DM is only a post.
 */
export interface DirectChannelPreparer {
  /** Never rejects: a failure is the first send's to report. */
  prepareDirect(userKey: string): Promise<void>;
}

/**
 * What a send may hand back when the DM is delivered but a part of it is still on its way (Slack: the chart
 * shared into the message's thread), so that the caller can record the delivery meanwhile.
 */
export interface DirectDelivery {
  /** Resolves when the rest is done. Never rejects: a failure is logged, the DM stands without it. */
  readonly followUp: Promise<void>;
}

/** Sends direct messages on one platform. */
export interface Messenger {
  /** Resolves once the platform has accepted the DM; a part still to come is in the answer's `followUp`. */
  sendDirect(userKey: string, message: DirectMessage): Promise<DirectDelivery | undefined>;
  /**
   * Optionally gets ready to DM the user (opens the DM channel if none is known yet), so that a send
   * started meanwhile or after needs only the post. Never rejects: a failure is the send's to report.
   */
  prepareDirect?(userKey: string): Promise<void>;
  /**
   * Connects to the platform ahead of the first DM (one cheap authenticated call), at start-up, so that a
   * market's first big move does not also pay for the connection and the client's first request. Never
   * rejects: a refusal is logged, and the first send reports it as usual.
   */
  warm?(): Promise<void>;
}

/**
 * A send that will never succeed: recorded, not retried. `recipient` (the default) blames the user's side
 * (blocked DMs, unknown user), and the bot tells them at their next command; `message` blames the message
 * itself (a platform refused even its plain-text form), which is a bug of ours, never the user's.
 */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
  /** The platform's own code, e.g. Discord 50007 or Slack `user_not_found`. */
  readonly code: string | undefined;
  readonly scope: 'recipient' | 'message';

  constructor(
    message: string,
    options?: { cause?: unknown; code?: string; scope?: 'recipient' | 'message' },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = options?.code;
    this.scope = options?.scope ?? 'recipient';
  }
}

/**
 * The bot's own credentials or permissions were refused (Slack `invalid_auth`, `missing_scope`…, Discord
 * 401): every user is affected and only the operator can fix it. The alerts stay pending and are retried;
 * the user is never blamed. The notifier raises the DELIVERY_CREDENTIALS_ALARM for it.
 */
export class OperatorDeliveryError extends Error {
  override readonly name = 'OperatorDeliveryError';

  constructor(
    message: string,
    readonly platform: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/**
 * The `alarm` field of the error log line (and its metric name) when a platform refuses the bot's
 * credentials or scopes: infra alarms on it (a CloudWatch metric filter on `$.alarm`).
 */
export const DELIVERY_CREDENTIALS_ALARM = 'DeliveryCredentialsRefused';

/** The `alarm` field when a platform refuses a message's form (a bug: the plain-text fallback was sent). */
export const MESSAGE_FORMAT_ALARM = 'MessageFormatRefused';
