import { createHash } from 'node:crypto';
import type { WindowName } from './window.js';

export type MoveDirection = 'up' | 'down';

/** A decided alert: one watcher, one crossing of a threshold level. */
export interface Alert {
  readonly alertId: string;
  readonly userKey: string;
  readonly symbol: string;
  readonly window: WindowName;
  readonly direction: MoveDirection;
  readonly thresholdPct: number;
  /** 1 at the threshold, 2 at twice the threshold, and so on. */
  readonly level: number;
  readonly movePct: number;
  readonly fromPrice: number;
  readonly fromTs: number;
  readonly toPrice: number;
  readonly toTs: number;
}

export type AlertFields = Omit<Alert, 'alertId'>;

/**
 * The same watcher, level and crossing trade always give the same id, whichever run,
 * retry or process computes it. That is what makes every later stage idempotent.
 */
export function alertIdFor(fields: AlertFields, crossingTradeSize: number): string {
  const identity = [
    fields.userKey,
    fields.symbol,
    fields.window,
    fields.direction,
    fields.thresholdPct,
    fields.level,
    fields.toTs,
    fields.toPrice,
    crossingTradeSize,
  ].join('|');
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}
