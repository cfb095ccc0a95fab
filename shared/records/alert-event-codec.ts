import { z } from 'zod';
import type { Alert } from '../domain/alert.js';
import { WINDOWS } from '../domain/window.js';
import { RecordDecodeError } from './record-decode-error.js';

/** An alert event on the `alerts` stream is the Alert as JSON; partition key = recipient userKey. */
const alertSchema = z.object({
  alertId: z.string().min(1),
  userKey: z.string().min(1),
  symbol: z.string().min(1),
  window: z.enum(WINDOWS),
  direction: z.enum(['up', 'down']),
  thresholdPct: z.number().positive(),
  level: z.number().int().positive(),
  movePct: z.number().nonnegative(),
  fromPrice: z.number().positive(),
  fromTs: z.number(),
  toPrice: z.number().positive(),
  toTs: z.number(),
});

export function encodeAlertEvent(alert: Alert): Buffer {
  return Buffer.from(JSON.stringify(alert));
}

export function decodeAlertEvent(data: Uint8Array): Alert {
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
