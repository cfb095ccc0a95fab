const MINUTE = 60_000;
/** Tick spacings a reader expects on a clock, shortest first. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((minutes) => minutes * MINUTE);

const newYorkTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  hour: '2-digit',
  minute: '2-digit',
});

export interface TimeTick {
  readonly ts: number;
  /** `14:30`, New York time. */
  readonly label: string;
}

/**
 * Round clock times between `fromTs` and `toTs`, at most `maxTicks` of them, labelled in New York time.
 * New York's UTC offset is a whole number of hours, so steps up to an hour fall on round ET times.
 */
export function timeTicks(fromTs: number, toTs: number, maxTicks: number): TimeTick[] {
  const span = Math.max(toTs - fromTs, 1);
  const step = STEPS.find((candidate) => span / candidate <= maxTicks) ?? (STEPS[STEPS.length - 1] as number);
  const ticks: TimeTick[] = [];
  for (let ts = Math.ceil(fromTs / step) * step; ts <= toTs; ts += step) {
    ticks.push({ ts, label: newYorkTime.format(ts) });
  }
  return ticks;
}
