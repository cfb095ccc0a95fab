import { z } from 'zod';

/**
 * The live market-data feed (`stockalert feed alpaca`, `npm start -- --live`). Keys come from the
 * environment or, in the cloud, from the Fargate task's secrets; they never appear in a message or log.
 */
export const feedEnv = {
  // An empty value counts as unset (`export ALPACA_API_KEY_ID=` in a shell).
  ALPACA_API_KEY_ID: z.string().optional(),
  ALPACA_API_SECRET_KEY: z.string().optional(),
  STOCKALERT_FEED: z.enum(['iex', 'sip', 'test']).default('iex'),
  /** Most symbols on the trades channel; the rest get minute bars. Default: 30 on iex (the free plan), none on sip. */
  STOCKALERT_FEED_MAX_TRADE_SYMBOLS: z.coerce.number().int().min(0).optional(),
  STOCKALERT_FEED_ALL_BARS: z.enum(['true', 'false']).default('false'),
  STOCKALERT_FEED_ARCHIVE: z.enum(['true', 'false']).default('true'),
  /** Only for tests and proxies: the stream and REST endpoints. */
  ALPACA_STREAM_URL: z.url().optional(),
  ALPACA_DATA_URL: z.url().optional(),
};

export const FEED_SECRETS: ReadonlySet<string> = new Set(['ALPACA_API_KEY_ID', 'ALPACA_API_SECRET_KEY']);

/** The free IEX plan's limit on trades (and quotes) channels. */
export const IEX_FREE_TRADE_SYMBOLS = 30;

export interface FeedSettings {
  /** Undefined when the keys are not set: the feed cannot run. */
  readonly keys: { readonly keyId: string; readonly secret: string } | undefined;
  readonly feed: 'iex' | 'sip' | 'test';
  readonly maxTradeSymbols: number | undefined;
  readonly allBars: boolean;
  readonly archive: boolean;
  readonly streamUrl?: string;
  readonly dataUrl?: string;
}

export function feedSettingsFrom(env: {
  ALPACA_API_KEY_ID?: string | undefined;
  ALPACA_API_SECRET_KEY?: string | undefined;
  STOCKALERT_FEED: 'iex' | 'sip' | 'test';
  STOCKALERT_FEED_MAX_TRADE_SYMBOLS?: number | undefined;
  STOCKALERT_FEED_ALL_BARS: 'true' | 'false';
  STOCKALERT_FEED_ARCHIVE: 'true' | 'false';
  ALPACA_STREAM_URL?: string | undefined;
  ALPACA_DATA_URL?: string | undefined;
}): FeedSettings {
  return {
    keys:
      env.ALPACA_API_KEY_ID && env.ALPACA_API_SECRET_KEY
        ? { keyId: env.ALPACA_API_KEY_ID, secret: env.ALPACA_API_SECRET_KEY }
        : undefined,
    feed: env.STOCKALERT_FEED,
    maxTradeSymbols:
      env.STOCKALERT_FEED_MAX_TRADE_SYMBOLS ??
      (env.STOCKALERT_FEED === 'sip' ? undefined : IEX_FREE_TRADE_SYMBOLS),
    allBars: env.STOCKALERT_FEED_ALL_BARS === 'true',
    archive: env.STOCKALERT_FEED_ARCHIVE === 'true',
    ...(env.ALPACA_STREAM_URL && { streamUrl: env.ALPACA_STREAM_URL }),
    ...(env.ALPACA_DATA_URL && { dataUrl: env.ALPACA_DATA_URL }),
  };
}
