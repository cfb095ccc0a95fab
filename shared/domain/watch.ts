import type { WindowName } from './window.js';

export type Direction = 'up' | 'down' | 'both';
export type MarketHours = 'all' | 'regular';

/** A user's standing request to be told when `symbol` moves `thresholdPct` within `window`. */
export interface Watch {
  /** `discord:<userId>`, `slack:<teamId>:<userId>` or `console:<name>`; always from the authenticated identity. */
  readonly userKey: string;
  readonly symbol: string;
  readonly thresholdPct: number;
  readonly window: WindowName;
  readonly direction: Direction;
  readonly hours: MarketHours;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

export const DEFAULT_THRESHOLD_PCT = 3;
export const MIN_THRESHOLD_PCT = 0.1;
export const MAX_THRESHOLD_PCT = 50;
export const DEFAULT_WINDOW: WindowName = '15m';
export const DEFAULT_DIRECTION: Direction = 'both';
export const DEFAULT_HOURS: MarketHours = 'all';
export const DEFAULT_MAX_WATCHES_PER_USER = 50;

/** Kept here for the imports that find it here; the rule itself lives in symbol.ts. */
export { SYMBOL_PATTERN } from './symbol.js';
