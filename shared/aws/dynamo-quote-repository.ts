import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { forEachLimited } from '../async/for-each-limited.js';
import { SYMBOL_PATTERN } from '../domain/watch.js';
import type { PriceHistory, PricePoint } from '../ports/price-history.js';
import type { LastPrice, QuoteLookup } from '../ports/quote-lookup.js';
import type { MinuteBar, QuoteSnapshot, QuoteStore } from '../ports/quote-store.js';
import { resendUnprocessed } from './resend-unprocessed.js';

/** Sort key of the latest quote of a symbol. */
const QUOTE_SK = 'quote';
/** Minute bars are kept for two days: enough to restore the 1d window and draw a day's chart. */
const BAR_RETENTION_SECONDS = 2 * 24 * 3600;
const BATCH_WRITE_LIMIT = 25;
/**
 * BatchWriteItem calls in flight at once. The SDK's connect timeout runs while a request waits for a
 * socket, so a full-speed batch's thousands of bars written at once could time out behind the client's
 * socket pool (the same failure as the detector's alert writes, docs/architecture.md "System proof").
 */
const BATCH_WRITES_IN_FLIGHT = 16;

/**
 * The symbol directory: one item in the Quotes table holding every symbol seen trading, as a string set,
 * so that suggestions read one item instead of scanning quotes and minute bars (2,001 items read for
 * one suggestion before). `#` keeps it apart from every symbol, and its sort key from `quote` and `bar#`.
 * A symbol is about 5 bytes in the set, so the 400 KB item limit holds some 60,000 symbols; a US market
 * has about 12,000.
 */
export const SYMBOL_DIRECTORY_KEY = { symbol: '#directory', sk: 'symbols' } as const;
/** Symbols this process already added to the directory; beyond this many it starts over (adds are idempotent). */
const KNOWN_SYMBOLS_LIMIT = 100_000;

/** `bar#2013-10-07T13:30Z`: sorts in time order, so a day of bars is one Query. */
export function minuteBarKey(minute: number): string {
  return `bar#${new Date(minute).toISOString().slice(0, 16)}Z`;
}

/**
 * The Quotes table (PK symbol, SK `quote` or `bar#<ISO minute>`). The detector writes the latest
 * quote once per symbol per batch and one item per closed minute; the bot reads last prices from it,
 * charts read minute closes, and a cold detector reads both back to restore its windows.
 */
export class DynamoQuoteRepository implements QuoteLookup, QuoteStore, PriceHistory {
  private readonly inDirectory = new Set<string>();

  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async lastPrice(symbol: string): Promise<LastPrice | undefined> {
    const quote = await this.loadQuote(symbol);
    if (quote === undefined) return undefined;
    const previous = quote.previousClose;
    return previous === undefined
      ? { price: quote.price }
      : { price: quote.price, dayChangePct: ((quote.price - previous) / previous) * 100 };
  }

  async saveQuotes(quotes: readonly QuoteSnapshot[]): Promise<void> {
    await this.batchPut(quotes.map((quote) => ({ ...quote, sk: QUOTE_SK })));
    await this.addToDirectory(quotes.map((quote) => quote.symbol));
  }

  /** Adds symbols new to this process to the symbol directory, in one update (ADD to a set is idempotent). */
  private async addToDirectory(symbols: readonly string[]): Promise<void> {
    const fresh = [...new Set(symbols)].filter(
      (symbol) => !this.inDirectory.has(symbol) && SYMBOL_PATTERN.test(symbol),
    );
    if (fresh.length === 0) return;
    await this.dynamo.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: SYMBOL_DIRECTORY_KEY,
        UpdateExpression: 'ADD symbols :fresh',
        ExpressionAttributeValues: { ':fresh': new Set(fresh) },
      }),
    );
    if (this.inDirectory.size + fresh.length > KNOWN_SYMBOLS_LIMIT) this.inDirectory.clear();
    for (const symbol of fresh) this.inDirectory.add(symbol);
  }

  async saveMinuteBars(bars: readonly MinuteBar[]): Promise<void> {
    await this.batchPut(
      bars.map((bar) => ({
        ...bar,
        sk: minuteBarKey(bar.minute),
        expiresAt: Math.floor(bar.minute / 1000) + BAR_RETENTION_SECONDS,
      })),
    );
  }

  async loadQuote(symbol: string): Promise<QuoteSnapshot | undefined> {
    const result = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: { symbol, sk: QUOTE_SK }, ConsistentRead: true }),
    );
    if (result.Item === undefined) return undefined;
    const { sk: _sk, ...quote } = result.Item;
    return quote as QuoteSnapshot;
  }

  async minuteBarsBetween(symbol: string, fromMinute: number, toMinute: number): Promise<MinuteBar[]> {
    if (toMinute <= fromMinute) return [];
    const bars: MinuteBar[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'symbol = :symbol AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':symbol': symbol,
            ':from': minuteBarKey(fromMinute),
            ':to': minuteBarKey(toMinute - 60_000),
          },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const { sk: _sk, expiresAt: _expiresAt, ...bar } = item;
        bars.push(bar as MinuteBar);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return bars;
  }

  /** Minute closes, for charts. */
  async pricesBetween(symbol: string, fromTs: number, toTs: number): Promise<PricePoint[]> {
    const fromMinute = fromTs - (fromTs % 60_000);
    const bars = await this.minuteBarsBetween(symbol, fromMinute, toTs + 60_000);
    return bars
      .filter((bar) => bar.closeTs >= fromTs && bar.closeTs <= toTs)
      .map((bar) => ({ ts: bar.closeTs, price: bar.close }));
  }

  private async batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
    const chunks: (readonly Record<string, unknown>[])[] = [];
    for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
      chunks.push(items.slice(start, start + BATCH_WRITE_LIMIT));
    }
    await forEachLimited(chunks, BATCH_WRITES_IN_FLIGHT, (chunk) => this.putChunk(chunk));
  }

  /** BatchWriteItem, resending unprocessed items with a short backoff. */
  private async putChunk(items: readonly Record<string, unknown>[]): Promise<void> {
    await resendUnprocessed(
      items.map((Item) => ({ PutRequest: { Item } })),
      { attempts: 8, firstPauseMs: 40 },
      async (pending) => {
        const result = await this.dynamo.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: [...pending] } }),
        );
        return (result.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
      },
      (left) => new QuoteWriteError(`${left} quote items unprocessed after 8 attempts`),
    );
  }
}

/** DynamoDB kept refusing part of a quote or minute-bar write. */
export class QuoteWriteError extends Error {
  override readonly name = 'QuoteWriteError';
}
