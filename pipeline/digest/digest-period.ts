import { DateTime } from 'luxon';
import { DIGEST_TIMEZONE, type DigestSchedule } from '../../shared/domain/digest-schedule.js';
import { type MarketClosure, marketClosureOn } from '../../shared/domain/market-calendar.js';

/** The span one digest covers, and the key its "posted" record is written under. */
export interface DigestPeriod {
  /** `daily:2026-12-04`, `hourly:2026-12-04T15`: the same for every run that covers this period. */
  readonly key: string;
  /** Epoch ms, `fromTs ≤ t < toTs`. */
  readonly fromTs: number;
  readonly toTs: number;
  /** The New York calendar day the period belongs to. */
  readonly day: string;
  /** Set when the market did not trade that day: the digest says so instead of an empty table. */
  readonly closure?: MarketClosure;
}

/** A tick may come late (a cold Lambda, a sleeping laptop); a period stays due this long after its time. */
export const DEFAULT_DUE_GRACE_MS = 30 * 60_000;

/** Daily digests cover the day from the start of pre-market trading. */
const DAY_START_HOUR = 4;
/** Hourly digests are posted at 10:00 … 16:00 ET: each covers one hour of the regular session. */
const FIRST_HOURLY = 10;
const LAST_HOURLY = 16;

/**
 * The period that is due at `nowTs` for `schedule`, or undefined. Pure: the caller supplies the time.
 * Daily digests are due on weekdays (a holiday still gets one, with the market-closed note); hourly ones
 * only on trading days. A period is due from its scheduled time for `graceMs`; whether it was already
 * posted is the idempotency record's business, not this function's.
 */
export function duePeriod(
  schedule: DigestSchedule,
  nowTs: number,
  graceMs: number = DEFAULT_DUE_GRACE_MS,
): DigestPeriod | undefined {
  const now = DateTime.fromMillis(nowTs, { zone: DIGEST_TIMEZONE });
  if (schedule.kind === 'daily') {
    let at = now.set({ hour: schedule.hour, minute: schedule.minute, second: 0, millisecond: 0 });
    if (at > now) at = at.minus({ days: 1 });
    if (at.weekday > 5 || nowTs - at.toMillis() >= graceMs) return undefined;
    return dailyPeriod(at);
  }
  const at = now.startOf('hour');
  if (at.weekday > 5 || at.hour < FIRST_HOURLY || at.hour > LAST_HOURLY) return undefined;
  if (nowTs - at.toMillis() >= graceMs) return undefined;
  const day = isoDay(at);
  if (marketClosureOn(day) !== undefined) return undefined;
  return {
    key: `hourly:${day}T${String(at.hour).padStart(2, '0')}`,
    fromTs: at.minus({ hours: 1 }).toMillis(),
    toTs: at.toMillis(),
    day,
  };
}

/** The period a `/digest now` covers: the schedule's current period up to `nowTs`. */
export function periodSoFar(schedule: DigestSchedule, nowTs: number): DigestPeriod {
  const now = DateTime.fromMillis(nowTs, { zone: DIGEST_TIMEZONE });
  const from =
    schedule.kind === 'hourly'
      ? now.minus({ hours: 1 })
      : now.hour < DAY_START_HOUR
        ? now.minus({ days: 1 }).set({ hour: DAY_START_HOUR, minute: 0, second: 0, millisecond: 0 })
        : now.set({ hour: DAY_START_HOUR, minute: 0, second: 0, millisecond: 0 });
  const day = isoDay(from);
  const closure = marketClosureOn(day);
  return {
    key: `now:${nowTs}`,
    fromTs: from.toMillis(),
    toTs: nowTs,
    day,
    ...(closure ? { closure } : {}),
  };
}

/** A digest over any span (the CLI's `--from`/`--to`): closed only when every day in it is closed. */
export function customPeriod(fromTs: number, toTs: number): DigestPeriod {
  const from = DateTime.fromMillis(fromTs, { zone: DIGEST_TIMEZONE });
  const days: string[] = [];
  for (
    let day = from.startOf('day');
    day.toMillis() < toTs && days.length < 400;
    day = day.plus({ days: 1 })
  ) {
    days.push(isoDay(day));
  }
  const closures = days.map(marketClosureOn);
  const first = closures[0];
  const allClosed = closures.length > 0 && closures.every((closure) => closure !== undefined);
  return {
    key: `custom:${fromTs}-${toTs}`,
    fromTs,
    toTs,
    day: days[0] ?? isoDay(from),
    ...(allClosed && first ? { closure: first } : {}),
  };
}

function dailyPeriod(at: DateTime): DigestPeriod {
  const day = isoDay(at);
  const closure = marketClosureOn(day);
  const start = at.set({ hour: DAY_START_HOUR, minute: 0, second: 0, millisecond: 0 });
  return {
    key: `daily:${day}`,
    // A digest scheduled before 04:00 covers the previous day's session.
    fromTs: (start < at ? start : start.minus({ days: 1 })).toMillis(),
    toTs: at.toMillis(),
    day,
    ...(closure ? { closure } : {}),
  };
}

function isoDay(at: DateTime): string {
  return at.toISODate() ?? '';
}
