import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeAlertMessage } from '../../pipeline/notify/alert-message.js';
import type { Alert } from '../../shared/domain/alert.js';
import { MAX_THRESHOLD_PCT, MIN_THRESHOLD_PCT } from '../../shared/domain/watch.js';
import { WINDOWS } from '../../shared/domain/window.js';
import {
  ALERT_EVENT_BOUNDS as B,
  decodeAlertEvent,
  encodeAlertEvent,
} from '../../shared/records/alert-event-codec.js';
import { RecordDecodeError } from '../../shared/records/record-decode-error.js';
import { alertFactory } from '../helpers/alerts.js';

const RUNS = { numRuns: 300 };

const price = fc.double({ min: B.minPrice, max: B.maxPrice, noNaN: true });
const alertArbitrary: fc.Arbitrary<Alert> = fc
  .record({
    alertId: fc.stringMatching(/^[0-9a-f]{32}$/),
    userKey: fc.oneof(
      fc.bigInt({ min: 1n, max: 2n ** 63n }).map((id) => `discord:${id}`),
      fc
        .tuple(fc.stringMatching(/^T[A-Z0-9]{1,10}$/), fc.stringMatching(/^U[A-Z0-9]{1,10}$/))
        .map(([t, u]) => `slack:${t}:${u}`),
    ),
    symbol: fc.stringMatching(/^[A-Z][A-Z0-9.-]{0,9}$/),
    window: fc.constantFrom(...WINDOWS),
    direction: fc.constantFrom('up' as const, 'down' as const),
    thresholdPct: fc.double({ min: MIN_THRESHOLD_PCT, max: MAX_THRESHOLD_PCT, noNaN: true }),
    level: fc.integer({ min: 1, max: B.maxLevel }),
    movePct: fc.double({ min: 0, max: B.maxMovePct, noNaN: true }),
    fromPrice: price,
    toPrice: price,
    toTs: fc.integer({ min: B.minTs + B.maxSpanMs, max: B.maxTs }),
    spanMs: fc.integer({ min: 0, max: B.maxSpanMs }),
  })
  .map(({ spanMs, ...alert }) => ({ ...alert, fromTs: alert.toTs - spanMs }));

/** Any JSON-ish value in an alert field: numbers at the edges, strings, nesting. */
const hostileValue = fc.oneof(
  fc.double(),
  fc.constantFrom(1e17, -1, 0, Number.POSITIVE_INFINITY, -0, 8.64e15 + 1, Number.MAX_VALUE, 5e-324),
  fc.string({ maxLength: 3000 }),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);

function decodeOrError(data: Uint8Array): Alert | RecordDecodeError {
  try {
    return decodeAlertEvent(data);
  } catch (error) {
    if (error instanceof RecordDecodeError) return error;
    throw error;
  }
}

describe('alert event schema (properties)', () => {
  it('round-trips every alert within the bounds', () => {
    fc.assert(
      fc.property(alertArbitrary, (alert) => {
        expect(decodeAlertEvent(encodeAlertEvent(alert))).toEqual(alert);
      }),
      RUNS,
    );
  });

  it('renders every alert it accepts without throwing', () => {
    fc.assert(
      fc.property(alertArbitrary, (alert) => {
        const message = composeAlertMessage([alert]);
        expect(message.text.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('throws nothing but RecordDecodeError for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 6000 }), (bytes) => {
        decodeOrError(bytes);
      }),
      RUNS,
    );
  });

  it('throws nothing but RecordDecodeError when any one field is replaced, and what it accepts renders', () => {
    const fields = Object.keys(alertFactory());
    fc.assert(
      fc.property(alertArbitrary, fc.constantFrom(...fields), hostileValue, (alert, field, value) => {
        const json = JSON.stringify({ ...alert, [field]: value });
        const result = decodeOrError(Buffer.from(json));
        if (!(result instanceof RecordDecodeError)) expect(() => composeAlertMessage([result])).not.toThrow();
      }),
      RUNS,
    );
  });

  it.each([
    ['toTs', 1e17],
    ['fromTs', -1],
    ['toPrice', 1e308],
    ['fromPrice', 1e-300],
    ['movePct', 1e300],
    ['symbol', 'B'.repeat(3000)],
    ['userKey', 'slack:T1'],
    ['thresholdPct', 500],
  ])('refuses %s = %j as a poison record', (field, value) => {
    const json = JSON.stringify({ ...alertFactory(), [field]: value });
    expect(() => decodeAlertEvent(Buffer.from(json))).toThrow(RecordDecodeError);
  });

  it('refuses an event bigger than the bound before parsing it', () => {
    const json = JSON.stringify({ ...alertFactory(), padding: 'x'.repeat(B.maxBytes) });
    expect(() => decodeAlertEvent(Buffer.from(json))).toThrow(/bytes, more than/);
  });
});
