import { marketData } from '@alpacahq/alpaca-trade-api';
import type { FeedTrade, TradeHistory } from '../../shared/ports/market-feed.js';

export const ALPACA_DATA_URL = 'https://data.alpaca.markets';

export interface AlpacaHistoryOptions {
  readonly keyId: string;
  readonly secret: string;
  /** `iex` or `sip`; the test stream's history is served from `iex`. */
  readonly feed: 'iex' | 'sip';
  /** Overrides https://data.alpaca.markets (the local fake in tests). */
  readonly baseUrl?: string;
  /** Trades per page (the API allows 1–10,000). */
  readonly pageSize?: number;
}

/**
 * Historical trades from Alpaca's REST API (`GET /v2/stocks/trades`), through the SDK's StockApi, which
 * adds retries and keeps within the plan's rate limit. One symbol per request keeps each symbol's window
 * its own: a reconnect costs one request per symbol on trades (30 on the free plan). Pages are followed with `next_page_token` until it is null.
 */
export class AlpacaTradeHistory implements TradeHistory {
  private readonly api: marketData.StockApi;

  constructor(private readonly options: AlpacaHistoryOptions) {
    this.api = new marketData.StockApi(
      new marketData.Configuration({
        keyId: options.keyId,
        secret: options.secret,
        // The plans' historical-API budgets (docs/alpaca-feed.md): 200 calls/min free, 10,000 on SIP plans.
        rateLimit: { maxRequests: options.feed === 'sip' ? 10_000 : 200, intervalMs: 60_000 },
        retry: { maxRetries: 2 },
        ...(options.baseUrl !== undefined && { basePath: options.baseUrl }),
      }),
    );
  }

  async *trades(symbol: string, fromMs: number, toMs: number): AsyncIterable<FeedTrade> {
    let pageToken: string | undefined;
    do {
      const page = await this.api.stockTrades({
        symbols: symbol,
        start: new Date(fromMs),
        end: new Date(toMs),
        feed: this.options.feed,
        limit: this.options.pageSize ?? 10_000,
        sort: 'asc',
        ...(pageToken !== undefined && { pageToken }),
      });
      for (const trade of page.trades[symbol] ?? []) {
        yield {
          symbol,
          price: trade.p,
          size: trade.s,
          // The SDK types `t` as a Date but passes the RFC-3339 text through; Date.parse reads both.
          ts: trade.t instanceof Date ? trade.t.getTime() : Date.parse(String(trade.t)),
          id: String(trade.i),
          exchange: trade.x,
          conditions: trade.c ?? [],
          tape: trade.z,
        };
      }
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
  }
}
