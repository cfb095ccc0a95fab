import { DateTime, IANAZone } from 'luxon';
import { MarketDataError } from './market-data-options.js';

/** Turns a timestamp field (all of `text`, or `text[start, end)`) into epoch ms, or undefined when it is not a time. */
export type TimestampReader = (text: string, start?: number, end?: number) => number | undefined;

const HOUR_MS = 3_600_000;

/**
 * A reader for the timestamp forms vendors write: ISO-8601 with `T` or a space, with an offset or `Z`
 * (kept) or naive (read in `timezone`); a bare date (midnight in `timezone`); epoch seconds,
 * milliseconds, microseconds or nanoseconds. The common ISO shapes are parsed by hand because
 * `Date.parse` and luxon cost more than the rest of a row's parsing together.
 */
export function createTimestampReader(timezone: string): TimestampReader {
  if (!IANAZone.isValidZone(timezone)) {
    throw new MarketDataError(
      `timezone "${timezone}" is not an IANA zone name: use one like America/New_York, Europe/London or UTC`,
    );
  }
  const zone = IANAZone.create(timezone);
  // A zone's offset only changes on hour boundaries in practice, so one lookup per local hour suffices.
  const offsetByHour = new Map<number, number>();
  const zoned = (localAsUtc: number): number => {
    const hour = Math.floor(localAsUtc / HOUR_MS);
    let offset = offsetByHour.get(hour);
    if (offset === undefined) {
      const guess = localAsUtc - zone.offset(localAsUtc) * 60_000;
      offset = zone.offset(guess) * 60_000;
      offsetByHour.set(hour, offset);
    }
    return localAsUtc - offset;
  };
  const read: TimestampReader = (raw, start = 0, end = raw.length) => {
    const local = parseIsoShape(raw, start, end);
    if (local !== undefined) return Number.isNaN(parsedOffsetMs) ? zoned(local) : local - parsedOffsetMs;
    const field = raw.slice(start, end);
    const text = field.trim();
    if (text !== field) return text === '' ? undefined : read(text);
    if (/^\d{9,19}(\.\d+)?$/.test(text)) return fromEpochNumber(Number(text));
    const parsed = DateTime.fromISO(text, { zone, setZone: true });
    return parsed.isValid ? parsed.toMillis() : undefined;
  };
  return read;
}

/** Epoch seconds, ms, µs or ns, told apart by magnitude (any time after 1973 is unambiguous). */
export function fromEpochNumber(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  if (value >= 1e17) return Math.floor(value / 1e6);
  if (value >= 1e14) return Math.floor(value / 1e3);
  if (value >= 1e11) return value;
  return Math.round(value * 1000);
}

/**
 * The offset (east of UTC) written in the last timestamp parseIsoShape read, NaN for a naive one:
 * a module variable rather than a returned object, because that object per row was a tenth of the GC work.
 */
let parsedOffsetMs = Number.NaN;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Epoch ms of midnight UTC per `yyyymmdd`, and -1 for a date that does not exist. */
const dayCache = new Map<number, number>();

let lastDayKey = -1;
let lastDayMs = -1;

function dayStart(year: number, month: number, day: number): number {
  const key = year * 10_000 + month * 100 + day;
  if (key === lastDayKey) return lastDayMs;
  let ms = dayCache.get(key);
  if (ms === undefined) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const valid =
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= (month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] as number));
    ms = valid ? Date.UTC(year, month - 1, day) : -1;
    if (dayCache.size < 100_000) dayCache.set(key, ms);
  }
  lastDayKey = key;
  lastDayMs = ms;
  return ms;
}

/**
 * The wall-clock time, read as if UTC, of `text[start, end)` shaped `YYYY-MM-DD`, then optionally
 * `T`/space `HH:MM[:SS[.fff…]]`, then optionally `Z` or `±HH[:]MM` (left in parsedOffsetMs).
 */
function parseIsoShape(text: string, start: number, end: number): number | undefined {
  const s = start;
  if (end - s < 10 || text.charCodeAt(s + 4) !== 45 || text.charCodeAt(s + 7) !== 45) return undefined;
  const year = digits(text, s, 4);
  const month = digits(text, s + 5, 2);
  const day = digits(text, s + 8, 2);
  if (year < 0 || month < 0 || day < 0) return undefined;
  const midnight = dayStart(year, month, day);
  if (midnight < 0) return undefined;
  let ms = 0;
  let i = s + 10;
  const separator = i < end ? text.charCodeAt(i) : 0;
  if (separator === 84 || separator === 32) {
    if (end < i + 6 || text.charCodeAt(i + 3) !== 58) return undefined;
    const hour = digits(text, i + 1, 2);
    const minute = digits(text, i + 4, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
    ms = hour * 3_600_000 + minute * 60_000;
    i += 6;
    if (i < end && text.charCodeAt(i) === 58) {
      const second = digits(text, i + 1, 2);
      if (second < 0 || second > 59) return undefined;
      ms += second * 1000;
      i += 3;
      if (i < end && text.charCodeAt(i) === 46) {
        i += 1;
        const first = i;
        let fraction = 0;
        let scale = 100;
        while (i < end && isDigit(text.charCodeAt(i))) {
          fraction += (text.charCodeAt(i) - 48) * scale;
          scale /= 10;
          i += 1;
        }
        if (i === first) return undefined;
        ms += Math.floor(fraction);
      }
    }
  }
  const local = midnight + ms;
  parsedOffsetMs = Number.NaN;
  if (i === end) return local;
  const mark = text.charCodeAt(i);
  if (mark === 90 && i + 1 === end) {
    parsedOffsetMs = 0;
    return local;
  }
  const sign = mark === 43 ? 1 : mark === 45 ? -1 : 0;
  if (sign === 0) return undefined;
  const colon = text.charCodeAt(i + 3) === 58 ? 1 : 0;
  if (end !== i + 5 + colon) return undefined;
  const offsetHours = digits(text, i + 1, 2);
  const offsetMinutes = digits(text, i + 3 + colon, 2);
  if (offsetHours < 0 || offsetMinutes < 0) return undefined;
  parsedOffsetMs = sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  return local;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The number written by `length` digits at `start`, or -1. */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i += 1) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + code - 48;
  }
  return value;
}
