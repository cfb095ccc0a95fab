import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  FakeHttpServer,
  type FakeRequest,
  type FakeResponse,
  type MultipartBody,
} from './fake-http-server.js';
import { waitUntil } from './wait.js';

export const FAKE_SLACK_BOT_TOKEN = 'xoxb-fake-bot-token';
export const FAKE_SLACK_APP_TOKEN = 'xapp-fake-app-token';
export const FAKE_SLACK_TEAM_ID = 'T0FAKE0001';
export const FAKE_SLACK_BOT_USER_ID = 'U0FAKEBOT1';

/** The bot scopes slack-app-manifest.yaml asks for: what an installed app's bot token is granted. */
export function manifestBotScopes(): string[] {
  const manifest = readFileSync(new URL('../../slack-app-manifest.yaml', import.meta.url), 'utf8');
  const bot = /^ {4}bot:\n((?: {6}(?:- \S+|#.*)\n)+)/m.exec(manifest)?.[1] ?? '';
  return [...bot.matchAll(/^ {6}- (\S+)$/gm)].map((match) => match[1] as string);
}

/** The scope each Web API method the bot calls needs (https://api.slack.com/methods). */
export const SLACK_METHOD_SCOPES: Readonly<Record<string, string>> = {
  'conversations.open': 'im:write',
  'chat.postMessage': 'chat:write',
  'users.info': 'users:read',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
};

/** A file as uploaded through files.getUploadURLExternal → upload URL → files.completeUploadExternal. */
export interface SlackUploadedFile {
  readonly id: string;
  readonly filename: string;
  /** Bytes received at the upload URL (0 until then). */
  bytes: number;
  /** Set by files.completeUploadExternal. */
  channelId?: string;
  threadTs?: string;
  title?: string;
}

/** One Socket Mode envelope and the client's acknowledgement, if any. */
export interface SocketEnvelope {
  readonly envelopeId: string;
  readonly sentAt: number;
  ack?: { readonly at: number; readonly payload: unknown };
}

/**
 * A local Slack for the real Bolt `App`: the Web API under `/api/<method>` (form bodies, Bearer tokens),
 * `response_url` endpoints under `/response/<id>`, and Socket Mode over WebSocket, on one port of
 * 127.0.0.1. It records every call (`http.calls`) and can inject 429 (with `Retry-After`), 5xx, latency
 * and disconnects; `chat.postMessage`, `conversations.open` and the external file upload answer as Slack does.
 */
export class FakeSlack {
  readonly http: FakeHttpServer;
  /** Bodies posted to each response_url id, in order. */
  readonly responses = new Map<string, Record<string, unknown>[]>();
  /** Messages posted with chat.postMessage, by channel. */
  readonly messages = new Map<string, Record<string, unknown>[]>();
  readonly envelopes = new Map<string, SocketEnvelope>();
  /** Files uploaded by the three-step external upload (files.uploadV2), by file id. */
  readonly files = new Map<string, SlackUploadedFile>();
  readonly socketStats = { connections: 0 };
  /**
   * Bot tokens and their scopes. The fake's bot token holds exactly the manifest's scopes, so a scope
   * missing from the manifest fails the calls that need it with `missing_scope`, as Slack does.
   */
  readonly botTokens = new Map<string, ReadonlySet<string>>([
    [FAKE_SLACK_BOT_TOKEN, new Set(manifestBotScopes())],
  ]);
  /** Users that `users.info` reports as workspace admins (`is_admin`) or owners (`is_owner`). */
  readonly admins = new Set<string>();
  readonly owners = new Set<string>();
  /** Channels the bot was removed from: chat.postMessage there answers `not_in_channel`. */
  readonly removedChannels = new Set<string>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private socket: WebSocket | undefined;
  private ts = 1_700_000_000;

  private constructor(
    readonly port: number,
    http: FakeHttpServer,
  ) {
    this.http = http;
    this.wss.on('connection', (socket) => this.accept(socket));
    http.server.on('upgrade', (request, socket, head) => {
      if (!request.url?.startsWith('/socket')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit('connection', ws, request));
    });
  }

  static async start(): Promise<FakeSlack> {
    let self: FakeSlack | undefined;
    const http = new FakeHttpServer((request) => self?.route(request) ?? { status: 503 });
    const port = await http.listen();
    self = new FakeSlack(port, http);
    return self;
  }

  /** The `slackApiUrl` client option (with the trailing slash web-api expects). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh response_url for one slash command. */
  newResponseUrl(): { readonly id: string; readonly url: string } {
    const id = randomUUID();
    return { id, url: `http://127.0.0.1:${this.port}/response/${id}` };
  }

  /** Waits for the first message posted to a response_url. */
  waitForResponse(id: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    return waitUntil(() => this.responses.get(id)?.[0], `a response to ${id}`, timeoutMs);
  }

  /** True while a Socket Mode client is connected and greeted. */
  get socketConnected(): boolean {
    return this.socket?.readyState === 1;
  }

  /** Sends a Socket Mode envelope (e.g. `slash_commands`) to the connected client. */
  sendEnvelope(type: string, payload: unknown): SocketEnvelope {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== 1)
      throw new Error('no Socket Mode client is connected');
    const envelope: SocketEnvelope = { envelopeId: randomUUID(), sentAt: Date.now() };
    this.envelopes.set(envelope.envelopeId, envelope);
    socket.send(
      JSON.stringify({
        envelope_id: envelope.envelopeId,
        type,
        accepts_response_payload: type === 'slash_commands',
        retry_attempt: 0,
        retry_reason: '',
        payload,
      }),
    );
    return envelope;
  }

  /** Asks the client to reconnect, as Slack does every few hours (`refresh_requested`). */
  requestRefresh(): void {
    this.socket?.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' }));
  }

  /** Drops the socket without a close frame. */
  dropSocket(): void {
    this.socket?.terminate();
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.http.close();
  }

  private accept(socket: WebSocket): void {
    this.socketStats.connections += 1;
    this.socket = socket;
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { envelope_id?: string; payload?: unknown };
      const envelope =
        message.envelope_id === undefined ? undefined : this.envelopes.get(message.envelope_id);
      if (envelope !== undefined) envelope.ack = { at: Date.now(), payload: message.payload };
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake-slack', approximate_connection_time: 18060 },
        connection_info: { app_id: 'A0FAKEAPP1' },
      }),
    );
  }

  private route(request: FakeRequest): FakeResponse {
    const responseMatch = /^\/response\/([^/]+)$/.exec(request.path);
    if (request.method === 'POST' && responseMatch) {
      const id = responseMatch[1] ?? '';
      const list = this.responses.get(id) ?? [];
      list.push(request.body as Record<string, unknown>);
      this.responses.set(id, list);
      return { status: 200, body: { ok: true } };
    }
    const uploadMatch = /^\/upload\/([^/]+)$/.exec(request.path);
    if (request.method === 'POST' && uploadMatch) {
      const file = this.files.get(uploadMatch[1] ?? '');
      if (file === undefined) return { status: 404 };
      // web-api posts the bytes as a multipart file; a raw body counts as the file itself.
      const multipart = request.body as Partial<MultipartBody> | undefined;
      file.bytes = multipart?.files?.[0]?.data.length ?? request.rawBody.length;
      return { status: 200, body: { ok: true } };
    }
    const apiMatch = /^\/api\/([\w.]+)$/.exec(request.path);
    if (request.method !== 'POST' || !apiMatch) return { status: 404 };
    const method = apiMatch[1] ?? '';
    const body = (request.body ?? {}) as Record<string, string>;
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? body.token;
    if (method === 'apps.connections.open') {
      if (token !== FAKE_SLACK_APP_TOKEN) return ok({ ok: false, error: 'invalid_auth' });
      return ok({ ok: true, url: `ws://127.0.0.1:${this.port}/socket?ticket=${randomUUID()}` });
    }
    const scopes = token === undefined ? undefined : this.botTokens.get(token);
    if (scopes === undefined)
      return ok({ ok: false, error: token === undefined ? 'not_authed' : 'invalid_auth' });
    const needed = SLACK_METHOD_SCOPES[method];
    if (needed !== undefined && !scopes.has(needed)) {
      return ok({ ok: false, error: 'missing_scope', needed, provided: [...scopes].join(',') });
    }
    switch (method) {
      case 'auth.test':
        return ok({
          ok: true,
          url: 'https://fake.slack.com/',
          team: 'Fake team',
          user: 'stockalert',
          team_id: FAKE_SLACK_TEAM_ID,
          user_id: FAKE_SLACK_BOT_USER_ID,
          bot_id: 'B0FAKEBOT1',
          is_enterprise_install: false,
        });
      case 'conversations.open':
        return ok({ ok: true, channel: { id: `D${String(body.users ?? '').replace(/^U/, '')}` } });
      case 'users.info': {
        const id = body.user ?? '';
        return ok({
          ok: true,
          user: {
            id,
            team_id: FAKE_SLACK_TEAM_ID,
            is_admin: this.admins.has(id),
            is_owner: this.owners.has(id),
          },
        });
      }
      case 'chat.postMessage': {
        const refused = messageLimitError(body);
        if (refused) return ok({ ok: false, error: refused });
        if (this.removedChannels.has(body.channel ?? '')) return ok({ ok: false, error: 'not_in_channel' });
        this.ts += 1;
        const channel = body.channel ?? '';
        const message = { ...body, ts: `${this.ts}.000100`, user: FAKE_SLACK_BOT_USER_ID };
        const list = this.messages.get(channel) ?? [];
        list.push(message);
        this.messages.set(channel, list);
        return ok({ ok: true, channel, ts: message.ts, message });
      }
      case 'files.getUploadURLExternal': {
        const id = `F${randomUUID().slice(0, 10).toUpperCase()}`;
        this.files.set(id, { id, filename: body.filename ?? '', bytes: 0 });
        return ok({ ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const listed = JSON.parse(body.files ?? '[]') as { id: string; title?: string }[];
        const done = listed.map(({ id, title }) => {
          const file = this.files.get(id);
          if (file === undefined) return undefined;
          if (body.channel_id !== undefined) file.channelId = body.channel_id;
          if (body.thread_ts !== undefined) file.threadTs = body.thread_ts;
          if (title !== undefined) file.title = title;
          return { id, title: title ?? file.filename, name: file.filename };
        });
        if (done.includes(undefined)) return ok({ ok: false, error: 'file_not_found' });
        return ok({ ok: true, files: done });
      }
      default:
        return ok({ ok: false, error: 'unknown_method' });
    }
  }

  /** Makes the next `times` calls of a Web API method answer 429 with `Retry-After`. */
  rateLimit(method: string, retryAfterSeconds: number, times = 1): void {
    this.http.inject({
      path: new RegExp(`^/api/${method.replaceAll('.', '\\.')}$`),
      times,
      response: {
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
        body: { ok: false, error: 'ratelimited' },
      },
    });
  }
}

/**
 * Slack's message limits: 50 blocks, 3,000 characters per section or context text, 40,000 of `text`
 * (https://api.slack.com/reference/block-kit/blocks): `invalid_blocks` or `msg_too_long` beyond them.
 */
function messageLimitError(body: Record<string, string>): string | undefined {
  if ((body.text ?? '').length > 40_000) return 'msg_too_long';
  if (body.blocks === undefined) return undefined;
  const blocks = JSON.parse(body.blocks) as {
    type: string;
    text?: { text: string };
    elements?: { text?: string }[];
  }[];
  if (blocks.length > 50) return 'invalid_blocks';
  const texts = blocks.flatMap((block) => [
    block.text?.text ?? '',
    ...(block.elements ?? []).map((e) => e.text ?? ''),
  ]);
  return texts.some((text) => text.length > 3_000) ? 'invalid_blocks' : undefined;
}

function ok(body: unknown): FakeResponse {
  return { status: 200, body };
}
