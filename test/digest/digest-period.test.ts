import { describe, expect, it } from 'vitest';
import { duePeriod, periodSoFar } from '../../pipeline/digest/digest-period.js';
import type { DigestSchedule } from '../../shared/domain/digest-schedule.js';

const DAILY: DigestSchedule = { kind: 'daily', hour: 16, minute: 15 };
const HOURLY: DigestSchedule = { kind: 'hourly' };
const at = (iso: string) => Date.parse(iso);

describe('digest schedule', () => {
  it('makes a daily digest due at 16:15 New York time and for the grace period after, not before', () => {
    // Thursday 2026-12-03, New York on EST (UTC−5): 16:15 ET is 21:15 UTC.
    expect(duePeriod(DAILY, at('2026-12-03T21:14:59Z'))).toBeUndefined();
    const due = duePeriod(DAILY, at('2026-12-03T21:15:00Z'));
    expect(due).toEqual({
      key: 'daily:2026-12-03',
      fromTs: at('2026-12-03T09:00:00Z'), // 04:00 ET
      toTs: at('2026-12-03T21:15:00Z'),
      day: '2026-12-03',
    });
    expect(duePeriod(DAILY, at('2026-12-03T21:44:59Z'))?.key).toBe('daily:2026-12-03');
    expect(duePeriod(DAILY, at('2026-12-03T21:45:00Z'))).toBeUndefined();
  });

  it('keeps 16:15 New York time across the daylight-saving change (21:15 UTC before, 20:15 UTC after)', () => {
    // DST began Sunday 2026-03-08. Friday before: EST; Monday after: EDT.
    expect(duePeriod(DAILY, at('2026-03-06T21:15:00Z'))?.key).toBe('daily:2026-03-06');
    expect(duePeriod(DAILY, at('2026-03-06T20:15:00Z'))).toBeUndefined();
    expect(duePeriod(DAILY, at('2026-03-09T20:15:00Z'))?.key).toBe('daily:2026-03-09');
    expect(duePeriod(DAILY, at('2026-03-09T21:15:00Z'))).toBeUndefined();
    // The period still starts at 04:00 local, which is 08:00 UTC after the change.
    expect(duePeriod(DAILY, at('2026-03-09T20:15:00Z'))?.fromTs).toBe(at('2026-03-09T08:00:00Z'));
  });

  it('reads the schedule in New York time whatever the instant is written in', () => {
    // 2026-12-03 16:15 ET written in Tokyo time (the next morning there).
    expect(duePeriod(DAILY, at('2026-12-04T06:20:00+09:00'))?.key).toBe('daily:2026-12-03');
  });

  it('is never due on a weekend', () => {
    expect(duePeriod(DAILY, at('2026-12-05T21:15:00Z'))).toBeUndefined(); // Saturday
    expect(duePeriod(DAILY, at('2026-12-06T21:15:00Z'))).toBeUndefined(); // Sunday
    expect(duePeriod(HOURLY, at('2026-12-05T16:00:00Z'))).toBeUndefined();
  });

  it('posts a daily digest on a holiday with the market-closed note, and skips hourly ones', () => {
    // Thanksgiving, Thursday 2026-11-26.
    expect(duePeriod(DAILY, at('2026-11-26T21:15:00Z'))?.closure).toEqual({
      kind: 'holiday',
      day: '2026-11-26',
      name: 'Thanksgiving Day',
    });
    expect(duePeriod(HOURLY, at('2026-11-26T16:00:00Z'))).toBeUndefined();
    expect(duePeriod(DAILY, at('2026-11-27T21:15:00Z'))?.closure).toBeUndefined();
  });

  it('makes hourly digests due on the hour from 10:00 to 16:00 ET, each covering the hour before', () => {
    expect(duePeriod(HOURLY, at('2026-12-03T14:00:00Z'))).toBeUndefined(); // 09:00 ET
    expect(duePeriod(HOURLY, at('2026-12-03T15:05:00Z'))).toEqual({
      key: 'hourly:2026-12-03T10',
      fromTs: at('2026-12-03T14:00:00Z'),
      toTs: at('2026-12-03T15:00:00Z'),
      day: '2026-12-03',
    });
    expect(duePeriod(HOURLY, at('2026-12-03T21:00:00Z'))?.key).toBe('hourly:2026-12-03T16');
    expect(duePeriod(HOURLY, at('2026-12-03T22:00:00Z'))).toBeUndefined(); // 17:00 ET
  });

  it('gives /digest now on a weekend the closed note, from 04:00 ET to now', () => {
    const period = periodSoFar(DAILY, at('2026-12-05T15:00:00Z'));
    expect(period.closure?.kind).toBe('weekend');
    expect(period.fromTs).toBe(at('2026-12-05T09:00:00Z'));
  });
});
