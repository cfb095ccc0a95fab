import { describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/domain/alert.js';
import { decodeAlertEvent, encodeAlertEvent } from '../../shared/records/alert-event-codec.js';
import { RecordDecodeError } from '../../shared/records/record-decode-error.js';

const ALERT: Alert = {
  alertId: '3f1c0e6f0a3b4c2d9e8f7a6b5c4d3e2f',
  userKey: 'slack:T01:U02',
  symbol: 'BAC',
  window: '15m',
  direction: 'down',
  thresholdPct: 3,
  level: 1,
  movePct: 3.1000000000000085,
  fromPrice: 100,
  fromTs: Date.parse('2024-03-05T10:00:00-05:00'),
  toPrice: 96.9,
  toTs: Date.parse('2024-03-05T10:02:00-05:00'),
};

function withField(field: string, value: unknown): Buffer {
  return Buffer.from(JSON.stringify({ ...ALERT, [field]: value }));
}

describe('alert events', () => {
  it('round-trips an alert exactly', () => {
    expect(decodeAlertEvent(encodeAlertEvent(ALERT))).toEqual(ALERT);
  });

  it('decodes from a view into a larger buffer', () => {
    const event = encodeAlertEvent(ALERT);
    const pool = Buffer.concat([Buffer.from('xx'), event, Buffer.from('yy')]);

    expect(decodeAlertEvent(new Uint8Array(pool.buffer, pool.byteOffset + 2, event.length))).toEqual(ALERT);
  });

  it('drops fields it does not know', () => {
    expect(decodeAlertEvent(withField('delivery', 'sent'))).toEqual(ALERT);
  });

  it('rejects bytes that are not JSON, keeping the parse failure as the cause', () => {
    let caught: unknown;
    try {
      decodeAlertEvent(Buffer.from('alert!'));
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(RecordDecodeError);
    expect((caught as Error).message).toBe('alert event is not JSON');
    expect((caught as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it.each([
    ['alertId', ''],
    ['userKey', undefined],
    ['window', '2h'],
    ['direction', 'sideways'],
    ['thresholdPct', 0],
    ['level', 1.5],
    ['movePct', -1],
    ['fromPrice', 0],
    ['toPrice', '96.9'],
    ['toTs', null],
  ])('rejects an event whose %s is %j, naming the field', (field, value) => {
    const data = withField(field, value);

    expect(() => decodeAlertEvent(data)).toThrow(RecordDecodeError);
    expect(() => decodeAlertEvent(data)).toThrow(new RegExp(`alert event is malformed: .*\\b${field}\\b`));
  });
});
