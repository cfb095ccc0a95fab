import type { KinesisStreamEvent } from 'aws-lambda';
import { type Alert, type AlertFields, alertIdFor } from '../../shared/domain/alert.js';
import { encodeAlertEvent } from '../../shared/records/alert-event-codec.js';
import { kinesisStreamEvent, kinesisStreamRecord } from './kinesis-records.js';

const T0 = Date.parse('2024-03-05T10:00:00-05:00');

/** An alert with a real deterministic id; fields override the BAC 15m sell-off defaults. */
export function alertFactory(overrides: Partial<AlertFields> = {}): Alert {
  const fields: AlertFields = {
    userKey: 'discord:100000000000000001',
    symbol: 'BAC',
    window: '15m',
    direction: 'down',
    thresholdPct: 3,
    level: 1,
    movePct: 4.1,
    fromPrice: 13.92,
    fromTs: T0,
    toPrice: 13.35,
    toTs: T0 + 7 * 60_000,
    ...overrides,
  };
  return { alertId: alertIdFor(fields, 100), ...fields };
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const bytes = Buffer.from(png);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG');
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

let nextAlertRecord = 0;

/** Alert events (or raw payloads) as one Kinesis event of the alerts stream, partitioned by recipient. */
export function alertsStreamEvent(payloads: readonly (Alert | Uint8Array)[]): KinesisStreamEvent {
  return kinesisStreamEvent(
    payloads.map((payload) =>
      kinesisStreamRecord(payload instanceof Uint8Array ? payload : encodeAlertEvent(payload), {
        index: nextAlertRecord++,
        ...(payload instanceof Uint8Array ? {} : { partitionKey: payload.userKey }),
        streamName: 'stockalert-alerts',
      }),
    ),
  );
}
