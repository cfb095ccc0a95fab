/**
 * The fixed set of alert windows. A fixed set keeps detector state per symbol bounded.
 * `1d` is a rolling 24 hours.
 */
export const WINDOWS = ['1m', '5m', '15m', '1h', '1d'] as const;

export type WindowName = (typeof WINDOWS)[number];

export const WINDOW_MS: Readonly<Record<WindowName, number>> = {
  '1m': 60_000,
  '5m': 5 * 60_000,
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '1d': 24 * 60 * 60_000,
};

const WINDOW_LABELS: Readonly<Record<WindowName, string>> = {
  '1m': '1 min',
  '5m': '5 min',
  '15m': '15 min',
  '1h': '1 hour',
  '1d': '1 day',
};

export function isWindowName(value: string): value is WindowName {
  return (WINDOWS as readonly string[]).includes(value);
}

/** Human wording for a window, as used in alert text: `15 min`, `1 hour`. */
export function describeWindow(window: WindowName): string {
  return WINDOW_LABELS[window];
}
