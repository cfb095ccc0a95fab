import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type APIUser,
  type ApplicationFlags,
  GatewayDispatchEvents,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import { type WebSocket, WebSocketServer } from 'ws';

/** What the gateway saw, for assertions about reconnects. */
export interface GatewayStats {
  connections: number;
  identifies: number;
  resumes: number;
}

export interface FakeGatewayOptions {
  /** IDENTIFY with any other token is closed with 4004, as Discord does. */
  readonly token: string;
  readonly user: APIUser;
  readonly applicationId: string;
  /** ws:// URL clients are told to resume at. */
  readonly url: string;
}

/**
 * The gateway half of the fake Discord: HELLO, IDENTIFY → READY, heartbeats, RESUME → RESUMED, and
 * dispatches. Tests drive reconnects with op 7 and op 9 the way Discord does.
 */
export class FakeDiscordGateway {
  readonly stats: GatewayStats = { connections: 0, identifies: 0, resumes: 0 };
  private readonly wss = new WebSocketServer({ noServer: true });
  private socket: WebSocket | undefined;
  private sequence = 0;
  private sessionCounter = 0;
  private sessionId = '';
  /** A session is live once READY or RESUMED was sent on the current socket. */
  private live = false;

  constructor(private readonly options: FakeGatewayOptions) {
    this.wss.on('connection', (socket) => this.accept(socket));
  }

  /** Hand a `server.on('upgrade')` request for the gateway path here. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit('connection', ws, request));
  }

  /** True when a client has a ready (or resumed) session and can receive dispatches. */
  get ready(): boolean {
    return this.live && this.socket?.readyState === 1;
  }

  /** Sends a dispatch event to the connected client. */
  dispatch(event: string, data: unknown): void {
    const socket = this.socket;
    if (socket === undefined || !this.live) throw new Error('no ready gateway session to dispatch to');
    this.sequence += 1;
    socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t: event, s: this.sequence, d: data }));
  }

  /** Op 7: the client should reconnect and resume. */
  requestReconnect(): void {
    this.live = false;
    this.socket?.send(JSON.stringify({ op: GatewayOpcodes.Reconnect, d: null }));
  }

  /** Op 9: the session is invalid; `resumable: false` makes the client identify afresh. */
  invalidateSession(resumable: boolean): void {
    this.live = false;
    if (!resumable) this.sessionId = '';
    this.socket?.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: resumable }));
  }

  /** Drops the socket without a close frame, as a network failure would. */
  dropConnection(): void {
    this.live = false;
    this.socket?.terminate();
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.stats.connections += 1;
    this.socket = socket;
    this.live = false;
    socket.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: 45_000 } }));
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: unknown };
      this.receive(socket, payload);
    });
  }

  private receive(socket: WebSocket, payload: { op: number; d: unknown }): void {
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
        return;
      case GatewayOpcodes.Identify: {
        this.stats.identifies += 1;
        if ((payload.d as { token?: string }).token !== this.options.token) {
          socket.close(4004, 'Authentication failed.');
          return;
        }
        this.sessionCounter += 1;
        this.sessionId = `session-${this.sessionCounter}`;
        this.sequence = 0;
        const ready = {
          v: 10,
          user: this.options.user,
          guilds: [],
          session_id: this.sessionId,
          resume_gateway_url: this.options.url,
          application: { id: this.options.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
        } satisfies GatewayReadyDispatchData;
        this.live = true;
        this.dispatch(GatewayDispatchEvents.Ready, ready);
        return;
      }
      case GatewayOpcodes.Resume: {
        this.stats.resumes += 1;
        const { session_id: sessionId } = payload.d as { session_id: string };
        if (sessionId !== this.sessionId || this.sessionId === '') {
          socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
          return;
        }
        this.live = true;
        this.dispatch(GatewayDispatchEvents.Resumed, null);
        return;
      }
      default:
        return;
    }
  }
}
