import { DateTime, IANAZone } from 'luxon';
import { MarketDataError } from './market-data-options.js';

/** Turns a timestamp field into epoch ms, or undefined when it is not a time. */
export type TimestampReader = (text: string) => number | undefined;

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
  return (raw) => {
    const text = raw.trim();
    const fast = parseIsoShape(text);
    if (fast !== undefined)
      return fast.offsetMs === undefined ? zoned(fast.local) : fast.local - fast.offsetMs;
    if (/^\d{9,19}(\.\d+)?$/.test(text)) return fromEpochNumber(Number(text));
    const parsed = DateTime.fromISO(text, { zone, setZone: true });
    return parsed.isValid ? parsed.toMillis() : undefined;
  };
}

/** Epoch seconds, ms, µs or ns, told apart by magnitude (any time after 1973 is unambiguous). */
export function fromEpochNumber(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  if (value >= 1e17) return Math.floor(value / 1e6);
  if (value >= 1e14) return Math.floor(value / 1e3);
  if (value >= 1e11) return value;
  return Math.round(value * 1000);
}

interface IsoParts {
  /** The wall-clock time read as if it were UTC. */
  readonly local: number;
  /** The written offset (east of UTC), or undefined for a naive time. */
  readonly offsetMs: number | undefined;
}

/** `YYYY-MM-DD`, then optionally `T`/space `HH:MM[:SS[.fff…]]`, then optionally `Z` or `±HH[:]MM`. */
function parseIsoShape(text: string): IsoParts | undefined {
  const n = text.length;
  if (n < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let i = 10;
  if (i < n && (text[i] === 'T' || text[i] === ' ')) {
    if (n < i + 6 || text.charCodeAt(i + 3) !== 58) return undefined;
    hour = digits(text, i + 1, 2);
    minute = digits(text, i + 4, 2);
    i += 6;
    if (i < n && text.charCodeAt(i) === 58) {
      second = digits(text, i + 1, 2);
      i += 3;
      if (i < n && text.charCodeAt(i) === 46) {
        let scale = 100;
        i += 1;
        const start = i;
        while (i < n && isDigit(text.charCodeAt(i))) {
          ms += (text.charCodeAt(i) - 48) * scale;
          scale /= 10;
          i += 1;
        }
        if (i === start) return undefined;
        ms = Math.floor(ms);
      }
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (new Date(local).getUTCDate() !== day) return undefined;
  if (i === n) return { local, offsetMs: undefined };
  if (text[i] === 'Z' && i + 1 === n) return { local, offsetMs: 0 };
  const sign = text[i] === '+' ? 1 : text[i] === '-' ? -1 : 0;
  if (sign === 0) return undefined;
  const rest = text.slice(i + 1);
  const match = /^(\d{2}):?(\d{2})$/.exec(rest);
  if (!match) return undefined;
  return { local, offsetMs: sign * (Number(match[1]) * 60 + Number(match[2])) * 60_000 };
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
