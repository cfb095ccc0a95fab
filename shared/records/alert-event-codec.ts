import { z } from 'zod';
import type { Alert } from '../domain/alert.js';
import { MAX_PRICE, MIN_PRICE } from '../domain/trade-bounds.js';
import { parseUserKey } from '../domain/user-key.js';
import { MAX_THRESHOLD_PCT, MIN_THRESHOLD_PCT, SYMBOL_PATTERN } from '../domain/watch.js';
import { WINDOWS } from '../domain/window.js';
import { RecordDecodeError } from './record-decode-error.js';

/**
 * The bounds of an alert event. Everything downstream (the message renderer's date formatting, the
 * Discord and Slack length limits, DynamoDB keys) holds for values inside them, so an event outside them
 * is a poison record, diverted at decode, never a render failure that would be retried as transient.
 */
export const ALERT_EVENT_BOUNDS = {
  /** An encoded event is a few hundred bytes; anything near this is not an alert. */
  maxBytes: 4_096,
  /** 2000-01-01 .. 2100-01-01 UTC: Intl.DateTimeFormat throws beyond ±8.64e15, and no market prints outside. */
  minTs: Date.UTC(2000, 0, 1),
  maxTs: Date.UTC(2100, 0, 1),
  /** A move's two ends lie within one window (at most 1d); a week leaves room and stops nonsense. */
  maxSpanMs: 7 * 24 * 3600_000,
  /** An alert's two prices are trade prices, so they have the trade bounds (shared/domain/trade-bounds.ts). */
  minPrice: MIN_PRICE,
  maxPrice: MAX_PRICE,
  /** A move from the lowest price to now: at most maxPrice / minPrice in principle, far less in practice. */
  maxMovePct: 1e6,
  maxLevel: 1e7,
  maxAlertIdLength: 64,
} as const;

const B = ALERT_EVENT_BOUNDS;
const price = z.number().min(B.minPrice).max(B.maxPrice);
const timestamp = z.number().min(B.minTs).max(B.maxTs);

/** An alert event on the `alerts` stream is the Alert as JSON; partition key = recipient userKey. */
const alertSchema = z
  .object({
    alertId: z
      .string()
      .min(1)
      .max(B.maxAlertIdLength)
      .regex(/^[0-9A-Za-z_-]+$/),
    userKey: z
      .string()
      .max(128)
      .refine((key) => parseUserKey(key) !== undefined, 'is not a user key (discord:, slack: or console:)'),
    symbol: z.string().regex(SYMBOL_PATTERN),
    window: z.enum(WINDOWS),
    direction: z.enum(['up', 'down']),
    thresholdPct: z.number().min(MIN_THRESHOLD_PCT).max(MAX_THRESHOLD_PCT),
    level: z.number().int().positive().max(B.maxLevel),
    movePct: z.number().nonnegative().max(B.maxMovePct),
    fromPrice: price,
    fromTs: timestamp,
    toPrice: price,
    toTs: timestamp,
  })
  .refine((alert) => alert.fromTs <= alert.toTs && alert.toTs - alert.fromTs <= B.maxSpanMs, {
    message: `must not be before fromTs nor more than ${B.maxSpanMs} ms after it`,
    path: ['toTs'],
  });

export function encodeAlertEvent(alert: Alert): Buffer {
  return Buffer.from(JSON.stringify(alert));
}

/** Decodes and range-checks an alert event; throws RecordDecodeError (a poison record) and nothing else. */
export function decodeAlertEvent(data: Uint8Array): Alert {
  if (data.byteLength > B.maxBytes) {
    throw new RecordDecodeError(`alert event is ${data.byteLength} bytes, more than ${B.maxBytes}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch (error) {
    throw new RecordDecodeError('alert event is not JSON', { cause: error });
  }
  const parsed = alertSchema.safeParse(value);
  if (!parsed.success) {
    throw new RecordDecodeError(
      `alert event is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
