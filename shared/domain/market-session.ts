export type MarketSession = 'pre-market' | 'regular' | 'after-hours' | 'closed';

const newYorkClock = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * The US equity session at `ts`: pre-market 04:00–09:30, regular 09:30–16:00,
 * after hours 16:00–20:00 America/New_York on weekdays. Exchange holidays are not modelled.
 */
export function marketSessionAt(ts: number): MarketSession {
  const parts = newYorkClock.formatToParts(ts);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  const weekday = part('weekday');
  if (weekday === 'Sat' || weekday === 'Sun') return 'closed';
  const minuteOfDay = Number(part('hour')) * 60 + Number(part('minute'));
  if (minuteOfDay < 4 * 60) return 'closed';
  if (minuteOfDay < 9 * 60 + 30) return 'pre-market';
  if (minuteOfDay < 16 * 60) return 'regular';
  if (minuteOfDay < 20 * 60) return 'after-hours';
  return 'closed';
}
