import type { PricePoint } from '../../shared/ports/price-history.js';
import type { DigestPeriod } from './digest-period.js';

/** One bar of a symbol's prices: a minute bar from the Quotes table, or a bar built from a file's trades. */
export interface DigestBar {
  /** Start of the bar, epoch ms. */
  readonly minute: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** The largest move from a window's first price to its extreme, in one aligned window (an ET hour). */
export interface BiggestMove {
  readonly pct: number;
  /** The window: start and length, epoch ms. */
  readonly fromTs: number;
  readonly lengthMs: number;
  readonly fromPrice: number;
  readonly toPrice: number;
}

/** What a digest says about one symbol over its period. */
export interface DigestRow {
  readonly symbol: string;
  readonly first: number;
  readonly last: number;
  /** From the period's first price to its last, percent. */
  readonly changePct: number;
  readonly high: number;
  readonly low: number;
  readonly biggestMove: BiggestMove;
  /** Alerts that fired on the symbol in the period; undefined when not counted. */
  readonly alerts: number | undefined;
  /** Bar closes, for the sparkline. */
  readonly closes: readonly PricePoint[];
}

/** A built digest: rows ranked by |change|, and what had no data. */
export interface Digest {
  readonly title: string;
  readonly period: DigestPeriod;
  readonly rows: readonly DigestRow[];
  /** Symbols asked for with no bars in the period. */
  readonly quiet: readonly string[];
}
