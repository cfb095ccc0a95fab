import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decode, encode } from '@msgpack/msgpack';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  ALPACA_ERROR_TEXT,
  type AlpacaErrorCode,
  type AlpacaFrame,
  type ScriptBar,
  type ScriptTrade,
  tradeFrame,
} from './fake-alpaca-frames.js';

export type { AlpacaErrorCode, AlpacaFrame, ScriptBar, ScriptTrade } from './fake-alpaca-frames.js';

/**
 * A local Alpaca Market Data v2 server over real sockets: the stream (`/v2/{iex|sip|test}`) and the
 * historical trades endpoint (`GET /v2/stocks/trades`). Message shapes follow Alpaca's documented
 * protocol (docs/alpaca-feed.md): arrays of `{"T": …}` frames, JSON or msgpack as the client's
 * `Content-Type` header asks (the official SDK asks for msgpack).
 */

interface ClientAction {
  readonly action?: string;
  readonly key?: string;
  readonly secret?: string;
  readonly trades?: string[];
  readonly bars?: string[];
}

interface Client {
  readonly socket: WebSocket;
  readonly feed: string;
  readonly msgpack: boolean;
  authenticated: boolean;
  readonly trades: Set<string>;
  readonly bars: Set<string>;
}

export interface FakeAlpacaOptions {
  readonly keyId?: string;
  readonly secret?: string;
  /** Most symbols on the trades channel (the free plan's 30); default unlimited. */
  readonly symbolLimit?: number;
  /** Concurrent connections allowed (default 1, as on most plans). */
  readonly connectionLimit?: number;
  /** Feeds the keys' plan does not include: authenticating on them answers 409. */
  readonly forbiddenFeeds?: readonly string[];
}

export class FakeAlpaca {
  readonly keyId: string;
  readonly secret: string;
  /** Every trade printed, per symbol, in print order: what the REST endpoint serves. */
  private readonly history = new Map<string, ScriptTrade[]>();
  private readonly clients = new Set<Client>();
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private outage = false;
  private readonly stalled: WebSocket[] = [];
  /** Every action received, for assertions. */
  readonly received: ClientAction[] = [];
  restRequests = 0;

  private constructor(private readonly options: FakeAlpacaOptions) {
    this.keyId = options.keyId ?? 'fake-key';
    this.secret = options.secret ?? 'fake-secret';
    this.server = createServer((request, response) => this.rest(request, response));
    this.wss = new WebSocketServer({ server: this.server, perMessageDeflate: false });
    this.wss.on('connection', (socket, request) => this.onConnection(socket, request));
  }

  static async start(options: FakeAlpacaOptions = {}): Promise<FakeAlpaca> {
    const fake = new FakeAlpaca(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  streamUrl(feed = 'iex'): string {
    return `ws://127.0.0.1:${this.port}/v2/${feed}`;
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Trade symbols of the authenticated clients. */
  subscribedTrades(): string[] {
    const symbols = new Set<string>();
    for (const client of this.clients)
      if (client.authenticated) for (const s of client.trades) symbols.add(s);
    return [...symbols].sort();
  }

  /** Bar symbols of the authenticated clients. */
  subscribedBars(): string[] {
    const symbols = new Set<string>();
    for (const client of this.clients) if (client.authenticated) for (const s of client.bars) symbols.add(s);
    return [...symbols].sort();
  }

  authenticatedClients(): number {
    return [...this.clients].filter((client) => client.authenticated).length;
  }

  /** Prints trades: recorded for the REST history, and sent in one frame to each subscribed client. */
  printTrades(trades: readonly ScriptTrade[]): number {
    for (const trade of trades) {
      let list = this.history.get(trade.symbol);
      if (list === undefined) {
        list = [];
        this.history.set(trade.symbol, list);
      }
      list.push(trade);
    }
    let sent = 0;
    for (const client of this.clients) {
      if (!client.authenticated) continue;
      const frames = trades
        .filter((trade) => client.trades.has(trade.symbol) || client.trades.has('*'))
        .map((trade) => tradeFrame(trade, client.msgpack));
      if (frames.length === 0) continue;
      this.send(client, frames);
      sent += frames.length;
    }
    return sent;
  }

  printBars(bars: readonly ScriptBar[]): void {
    for (const client of this.clients) {
      if (!client.authenticated) continue;
      const frames: AlpacaFrame[] = bars
        .filter((bar) => client.bars.has(bar.symbol) || client.bars.has('*'))
        .map((bar) => ({
          T: 'b',
          S: bar.symbol,
          o: bar.open,
          h: bar.high,
          l: bar.low,
          c: bar.close,
          v: bar.volume,
          t: client.msgpack ? new Date(bar.ts) : new Date(bar.ts).toISOString(),
        }));
      if (frames.length > 0) this.send(client, frames);
    }
  }

  /** Drops every connection; with `outageMs`, refuses new ones for that long (trades printed meanwhile only reach the history). */
  dropConnections(outageMs = 0): void {
    this.outage = outageMs > 0;
    for (const client of this.clients) client.socket.terminate();
    this.clients.clear();
    if (outageMs > 0) setTimeout(() => (this.outage = false), outageMs).unref();
  }

  /** Stops reading and writing every open socket without closing it: no pong, no data (a dead link). */
  stallHeartbeat(): void {
    for (const client of this.clients) {
      (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
      // The server has written the link off too, so it does not count against the connection limit.
      this.stalled.push(client.socket);
    }
    this.clients.clear();
  }

  /** Sends an error frame to every client (a server-side error at any time). */
  sendError(code: AlpacaErrorCode): void {
    for (const client of this.clients)
      this.send(client, [{ T: 'error', code, msg: ALPACA_ERROR_TEXT[code] }]);
  }

  async stop(): Promise<void> {
    for (const client of this.clients) client.socket.terminate();
    for (const socket of this.stalled) socket.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(socket: WebSocket, request: IncomingMessage): void {
    const feed = (request.url ?? '').split('/').pop() ?? '';
    const client: Client = {
      socket,
      feed,
      msgpack: request.headers['content-type'] === 'application/msgpack',
      authenticated: false,
      trades: new Set(),
      bars: new Set(),
    };
    if (this.outage) {
      socket.terminate();
      return;
    }
    if (this.clients.size >= (this.options.connectionLimit ?? 1)) {
      this.send(client, [{ T: 'error', code: 406, msg: ALPACA_ERROR_TEXT[406] }]);
      socket.close();
      return;
    }
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('message', (data: Buffer) => this.onMessage(client, data));
    this.send(client, [{ T: 'success', msg: 'connected' }]);
  }

  private onMessage(client: Client, data: Buffer): void {
    let action: ClientAction;
    try {
      action = (client.msgpack ? decode(data) : JSON.parse(data.toString('utf8'))) as ClientAction;
    } catch {
      this.send(client, [{ T: 'error', code: 400, msg: ALPACA_ERROR_TEXT[400] }]);
      return;
    }
    this.received.push(action.action === 'auth' ? { action: 'auth' } : action);
    if (action.action === 'auth') {
      if (action.key !== this.keyId || action.secret !== this.secret) {
        this.send(client, [{ T: 'error', code: 402, msg: ALPACA_ERROR_TEXT[402] }]);
        return;
      }
      if (this.options.forbiddenFeeds?.includes(client.feed)) {
        this.send(client, [{ T: 'error', code: 409, msg: ALPACA_ERROR_TEXT[409] }]);
        return;
      }
      client.authenticated = true;
      this.send(client, [{ T: 'success', msg: 'authenticated' }]);
      return;
    }
    if (!client.authenticated) {
      this.send(client, [{ T: 'error', code: 401, msg: ALPACA_ERROR_TEXT[401] }]);
      return;
    }
    if (action.action === 'subscribe' || action.action === 'unsubscribe') {
      const adding = action.action === 'subscribe';
      const trades = new Set(client.trades);
      const bars = new Set(client.bars);
      for (const symbol of action.trades ?? []) adding ? trades.add(symbol) : trades.delete(symbol);
      for (const symbol of action.bars ?? []) adding ? bars.add(symbol) : bars.delete(symbol);
      if (this.options.symbolLimit !== undefined && trades.size > this.options.symbolLimit) {
        this.send(client, [{ T: 'error', code: 405, msg: ALPACA_ERROR_TEXT[405] }]);
        return;
      }
      client.trades.clear();
      for (const symbol of trades) client.trades.add(symbol);
      client.bars.clear();
      for (const symbol of bars) client.bars.add(symbol);
      this.send(client, [
        {
          T: 'subscription',
          trades: [...trades],
          quotes: [],
          bars: [...bars],
          updatedBars: [],
          dailyBars: [],
        },
      ]);
      return;
    }
    this.send(client, [{ T: 'error', code: 400, msg: ALPACA_ERROR_TEXT[400] }]);
  }

  private send(client: Client, frames: AlpacaFrame[]): void {
    if (client.socket.readyState !== client.socket.OPEN) return;
    client.socket.send(client.msgpack ? encode(frames) : JSON.stringify(frames));
  }

  /** `GET /v2/stocks/trades?symbols=&start=&end=&limit=&page_token=`; pages by a token that is the next offset. */
  private rest(request: IncomingMessage, response: ServerResponse): void {
    this.restRequests += 1;
    const url = new URL(request.url ?? '/', this.restUrl);
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (
      request.headers['apca-api-key-id'] !== this.keyId ||
      request.headers['apca-api-secret-key'] !== this.secret
    ) {
      reply(403, { message: 'forbidden' });
      return;
    }
    if (url.pathname !== '/v2/stocks/trades') {
      reply(404, { message: 'not found' });
      return;
    }
    const symbols = (url.searchParams.get('symbols') ?? '').split(',').filter(Boolean);
    const start = Date.parse(url.searchParams.get('start') ?? '1970-01-01T00:00:00Z');
    const end = Date.parse(url.searchParams.get('end') ?? '2100-01-01T00:00:00Z');
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 1000), 10_000);
    const offset = Number(url.searchParams.get('page_token') ?? 0);
    // Sorted by symbol, then by time, as documented.
    const all = symbols
      .sort()
      .flatMap((symbol) =>
        (this.history.get(symbol) ?? [])
          .filter((trade) => trade.ts >= start && trade.ts <= end)
          .sort((a, b) => a.ts - b.ts),
      );
    const page = all.slice(offset, offset + limit);
    const trades: Record<string, unknown[]> = {};
    for (const trade of page) {
      const frame = tradeFrame(trade, false);
      trades[trade.symbol] ??= [];
      trades[trade.symbol]?.push({
        t: frame.t,
        x: frame.x,
        p: frame.p,
        s: frame.s,
        c: frame.c,
        i: frame.i,
        z: frame.z,
      });
    }
    reply(200, { trades, next_page_token: offset + limit < all.length ? String(offset + limit) : null });
  }
}
