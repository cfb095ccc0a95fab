import type { MarketSession } from './market-session.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MAX_CACHED_HOURS = 4_096;

const newYorkParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/**
 * New York wall-clock questions at stream speed. `Intl` costs microseconds per call, far too much per
 * trade; the UTC offset only changes on the hour (DST switches at 02:00 local), so it is computed once
 * per UTC hour and cached. Sessions follow {@link marketSessionAt}: pre-market 04:00–09:30,
 * regular 09:30–16:00, after hours 16:00–20:00 on weekdays; exchange holidays are not modelled.
 */
export class NewYorkClock {
  private readonly offsets = new Map<number, number>();

  /** New York local time minus UTC at `ts`, in ms (−4 h or −5 h). */
  offsetAt(ts: number): number {
    const hour = Math.floor(ts / HOUR_MS);
    const cached = this.offsets.get(hour);
    if (cached !== undefined) return cached;
    if (this.offsets.size >= MAX_CACHED_HOURS) this.offsets.clear();
    const offset = computeOffset(hour * HOUR_MS);
    this.offsets.set(hour, offset);
    return offset;
  }

  /** Days since 1970-01-01 in New York local time. */
  localDay(ts: number): number {
    return Math.floor((ts + this.offsetAt(ts)) / DAY_MS);
  }

  /** `YYYY-MM-DD` of the New York calendar day of `ts`. */
  dayKey(ts: number): string {
    return new Date(this.localDay(ts) * DAY_MS).toISOString().slice(0, 10);
  }

  sessionAt(ts: number): MarketSession {
    const local = ts + this.offsetAt(ts);
    const day = Math.floor(local / DAY_MS);
    // 1970-01-01 was a Thursday: (day + 4) % 7 is 0 on Sundays and 6 on Saturdays.
    const weekday = (day + 4) % 7;
    if (weekday === 0 || weekday === 6) return 'closed';
    const minuteOfDay = Math.floor((local - day * DAY_MS) / 60_000);
    if (minuteOfDay < 4 * 60) return 'closed';
    if (minuteOfDay < 9 * 60 + 30) return 'pre-market';
    if (minuteOfDay < 16 * 60) return 'regular';
    if (minuteOfDay < 20 * 60) return 'after-hours';
    return 'closed';
  }
}

function computeOffset(ts: number): number {
  const parts = newYorkParts.formatToParts(ts);
  const value = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    value('year'),
    value('month') - 1,
    value('day'),
    value('hour'),
    value('minute'),
    value('second'),
  );
  return asUtc - (ts - (ts % 1000));
}
