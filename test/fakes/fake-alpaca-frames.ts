/** Alpaca Market Data v2 stream frames and the fake's script types (docs/alpaca-feed.md). */

import type { FeedBar } from '../../shared/ports/market-feed.js';

/** A trade print as the fake's script gives it. `ts` is epoch ms; `nanos` adds sub-millisecond digits. */
export interface ScriptTrade {
  readonly symbol: string;
  readonly price: number;
  readonly size: number;
  readonly ts: number;
  readonly id: number;
  readonly exchange?: string;
  readonly conditions?: readonly string[];
  readonly tape?: 'A' | 'B' | 'C';
}

/** A minute bar as the fake's script gives it: the port's own shape. */
export type ScriptBar = FeedBar;

/** Stream frames, typed from the documentation. */
export type AlpacaFrame =
  | { T: 'success'; msg: 'connected' | 'authenticated' }
  | { T: 'error'; code: AlpacaErrorCode; msg: string }
  | {
      T: 'subscription';
      trades: string[];
      quotes: string[];
      bars: string[];
      updatedBars: string[];
      dailyBars: string[];
    }
  | {
      T: 't';
      S: string;
      i: number;
      x: string;
      p: number;
      s: number;
      c: string[];
      t: string | Date;
      z: string;
    }
  | { T: 'b'; S: string; o: number; h: number; l: number; c: number; v: number; t: string | Date };

export type AlpacaErrorCode = 400 | 401 | 402 | 403 | 404 | 405 | 406 | 407 | 409 | 500;

export const ALPACA_ERROR_TEXT: Readonly<Record<AlpacaErrorCode, string>> = {
  400: 'invalid syntax',
  401: 'not authenticated',
  402: 'auth failed',
  403: 'already authenticated',
  404: 'auth timeout',
  405: 'symbol limit exceeded',
  406: 'connection limit exceeded',
  407: 'slow client',
  409: 'insufficient subscription',
  500: 'internal error',
};

/** A trade as a stream frame (`T: "t"`); the REST history uses the same fields without `T` and `S`. */
export function tradeFrame(trade: ScriptTrade, msgpack: boolean): Extract<AlpacaFrame, { T: 't' }> {
  return {
    T: 't',
    S: trade.symbol,
    i: trade.id,
    x: trade.exchange ?? 'V',
    p: trade.price,
    s: trade.size,
    c: [...(trade.conditions ?? ['@'])],
    // RFC-3339 with nanoseconds on JSON; a msgpack timestamp on msgpack, as the real stream sends.
    t: msgpack ? new Date(trade.ts) : `${new Date(trade.ts).toISOString().slice(0, 23)}456789Z`,
    z: trade.tape ?? 'A',
  };
}
