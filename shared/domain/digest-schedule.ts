/** Digests are scheduled in New York time, the exchange's clock, whatever the server's zone. */
export const DIGEST_TIMEZONE = 'America/New_York';

/**
 * When a channel gets its digest. `daily` posts once per trading day at a New York wall-clock time
 * (covering 04:00 ET to then); `hourly` posts at each full hour from 10:00 to 16:00 ET on trading days
 * (covering the hour before).
 */
export type DigestSchedule =
  | { readonly kind: 'hourly' }
  | { readonly kind: 'daily'; readonly hour: number; readonly minute: number };

/** The default of `/digest on`: after the close, once the closing prints are in. */
export const DEFAULT_DIGEST_SCHEDULE: DigestSchedule = { kind: 'daily', hour: 16, minute: 15 };

/** `hourly`, `daily 16:15`. */
export function describeSchedule(schedule: DigestSchedule): string {
  if (schedule.kind === 'hourly') return 'hourly';
  return `daily ${pad(schedule.hour)}:${pad(schedule.minute)}`;
}

/** `16:15` → { hour: 16, minute: 15 }; undefined unless a valid 24-hour time. */
export function parseClockTime(text: string): { hour: number; minute: number } | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) return undefined;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
