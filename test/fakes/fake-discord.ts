import {
  type APIApplicationCommand,
  type APIInteraction,
  type APIMessage,
  type APIUser,
  ChannelType,
  GatewayDispatchEvents,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { FakeDiscordGateway } from './fake-discord-gateway.js';
import {
  FakeHttpServer,
  type FakeRequest,
  type FakeResponse,
  type MultipartBody,
} from './fake-http-server.js';
import { waitUntil } from './wait.js';

export const FAKE_APPLICATION_ID = '100000000000000001';
/** The only bot token the fake accepts, on REST and in IDENTIFY. */
export const FAKE_DISCORD_TOKEN = 'fake-discord-bot-token';
export const FAKE_BOT_USER: APIUser = {
  id: FAKE_APPLICATION_ID,
  username: 'stockalert',
  discriminator: '0',
  global_name: 'StockAlert',
  avatar: null,
  bot: true,
};

/** Discord gives a bot 3 s to answer an interaction; later callbacks get 10062 Unknown interaction. */
/**
 * The DM channel the fake opens to a user. Discord's channel ids are snowflakes, and @discordjs/rest keys
 * its per-channel queues on them (a path like `/channels/<17–19 digits>/…`): an id of another shape put every
 * DM post in one queue, one after another. Derived from the user's id, so that tests can name it.
 */
export function dmChannelIdOf(userId: string): string {
  return (BigInt(userId) + DM_CHANNEL_OFFSET).toString();
}

/** The user a DM channel of `dmChannelIdOf` was opened to. */
export function dmRecipientOf(channelId: string): string {
  return (BigInt(channelId) - DM_CHANNEL_OFFSET).toString();
}

const DM_CHANNEL_OFFSET = 10n ** 18n;

export const INTERACTION_DEADLINE_MS = 3_000;

/** Everything the bot sent in answer to one interaction, in order. */
export interface InteractionExchange {
  readonly interaction: APIInteraction;
  readonly dispatchedAt: number;
  /** Interaction callbacks (`type` 4 reply, 5 defer, 8 autocomplete…), with the fake's verdict. */
  readonly callbacks: { type: number; data: Record<string, unknown> | undefined; accepted: boolean }[];
  /** Edits of the original response (after a defer), in order. */
  readonly edits: Record<string, unknown>[];
  /** Follow-up messages (`POST /webhooks/{app}/{token}`), in order. */
  readonly followUps: Record<string, unknown>[];
}

export interface RateLimitOptions {
  readonly method?: string;
  readonly path: RegExp;
  readonly retryAfterSeconds: number;
  readonly global?: boolean;
  readonly times?: number;
}

/**
 * A local Discord for the real discord.js `Client`: REST under `/api/v10` and the gateway over WebSocket,
 * on one port of 127.0.0.1. It records every call (`http.calls`), enforces the 3-second interaction rule,
 * and can inject 429s with real rate-limit headers, 5xx, latency and disconnects.
 */
export class FakeDiscord {
  readonly http: FakeHttpServer;
  readonly gateway: FakeDiscordGateway;
  readonly exchanges = new Map<string, InteractionExchange>();
  /** Application commands as registered, globally (`global`) or per guild id. */
  readonly registeredCommands = new Map<string, APIApplicationCommand[]>();
  /** Messages the bot posted, by channel id (DMs included). */
  readonly messages = new Map<string, APIMessage[]>();
  /** The bytes of each posted message's files, by message id. */
  readonly messageFiles = new Map<string, Buffer[]>();
  /** Create-message requests that Discord answered with an earlier message because of `enforce_nonce`. */
  nonceRepeats = 0;
  private globalLimit: { readonly perSecond: number; windowStart: number; used: number } | undefined;
  private nextId = 200000000000000000n;

  private constructor(
    readonly port: number,
    http: FakeHttpServer,
    gateway: FakeDiscordGateway,
  ) {
    this.http = http;
    this.gateway = gateway;
  }

  static async start(): Promise<FakeDiscord> {
    let self: FakeDiscord | undefined;
    const http = new FakeHttpServer((request) => {
      if (self === undefined) return { status: 503 };
      return self.route(request);
    });
    const port = await http.listen();
    const gateway = new FakeDiscordGateway({
      token: FAKE_DISCORD_TOKEN,
      user: FAKE_BOT_USER,
      applicationId: FAKE_APPLICATION_ID,
      url: `ws://127.0.0.1:${port}/gateway`,
    });
    http.server.on('upgrade', (request, socket, head) => {
      if (request.url?.startsWith('/gateway')) gateway.upgrade(request, socket, head);
      else socket.destroy();
    });
    self = new FakeDiscord(port, http, gateway);
    return self;
  }

  /** The `rest.api` option for discord.js / @discordjs/rest. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** Sends an interaction to the bot as INTERACTION_CREATE and starts its 3-second clock. */
  sendInteraction(interaction: APIInteraction): InteractionExchange {
    const exchange: InteractionExchange = {
      interaction,
      dispatchedAt: Date.now(),
      callbacks: [],
      edits: [],
      followUps: [],
    };
    this.exchanges.set(interaction.id, exchange);
    this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    return exchange;
  }

  /** Waits until the bot has answered `interactionId` with visible content (a reply, or a defer then an edit). */
  async waitForAnswer(interactionId: string, timeoutMs = 10_000): Promise<InteractionExchange> {
    return waitUntil(
      () => {
        const exchange = this.exchanges.get(interactionId);
        if (exchange === undefined) return undefined;
        const answered =
          exchange.callbacks.some((callback) => callback.type === 4 || callback.type === 8) ||
          exchange.edits.length > 0;
        return answered ? exchange : undefined;
      },
      `an answer to interaction ${interactionId}`,
      timeoutMs,
    );
  }

  /** Makes matching requests answer 429 with Discord's headers (`Retry-After`, `X-RateLimit-*`). */
  rateLimit(options: RateLimitOptions): void {
    const retryAfter = options.retryAfterSeconds;
    this.http.inject({
      path: options.path,
      times: options.times ?? 1,
      ...(options.method === undefined ? {} : { method: options.method }),
      response: {
        status: 429,
        headers: {
          'retry-after': String(Math.ceil(retryAfter)),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Date.now() / 1000 + retryAfter),
          'x-ratelimit-reset-after': String(retryAfter),
          'x-ratelimit-bucket': 'fake-bucket',
          'x-ratelimit-scope': options.global ? 'global' : 'user',
          ...(options.global ? { 'x-ratelimit-global': 'true' } : {}),
        },
        body: {
          message: 'You are being rate limited.',
          retry_after: retryAfter,
          global: options.global ?? false,
        },
      },
    });
  }

  /**
   * Enforces Discord's global rate limit on the bot's REST calls: at most `perSecond` requests in each
   * one-second window; beyond it, 429 with `X-RateLimit-Global` and `Retry-After` until the window ends.
   * Interaction callbacks are exempt, as on Discord.
   */
  enforceGlobalLimit(perSecond: number): void {
    this.globalLimit = { perSecond, windowStart: Date.now(), used: 0 };
  }

  /** How many requests the global limit turned away with 429. */
  globalRejections = 0;

  async stop(): Promise<void> {
    await this.gateway.close();
    await this.http.close();
  }

  private snowflake(): string {
    this.nextId += 1n;
    return String(this.nextId);
  }

  private route(request: FakeRequest): FakeResponse {
    const path = request.path.replace(/^\/api\/v10/, '');
    const { method } = request;
    // Interaction callbacks and webhooks authenticate by their token in the path, everything else by the bot token.
    const byPathToken = path.startsWith('/interactions/') || path.startsWith('/webhooks/');
    if (!byPathToken && request.headers.authorization !== `Bot ${FAKE_DISCORD_TOKEN}`) {
      return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    }
    if (!byPathToken) {
      const limited = this.takeGlobalToken();
      if (limited) return limited;
    }
    if (method === 'GET' && path === '/gateway/bot') {
      return json({
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (method === 'GET' && path === '/users/@me') return json(FAKE_BOT_USER);
    if (method === 'GET' && path === '/applications/@me') {
      return json({ id: FAKE_APPLICATION_ID, name: 'StockAlert', bot: FAKE_BOT_USER, flags: 0 });
    }
    let match = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (method === 'POST' && match) return this.callback(match[1] ?? '', request.body);
    match = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/.exec(path);
    if (method === 'PATCH' && match) return this.editOriginal(match[2] ?? '', request.body);
    match = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path);
    if (method === 'POST' && match) return this.followUp(match[2] ?? '', request.body);
    match = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (method === 'PUT' && match) return this.registerCommands(match[1] ?? '', match[2], request.body);
    if (method === 'POST' && path === '/users/@me/channels') {
      const { recipient_id: recipientId } = request.body as { recipient_id: string };
      return json({
        id: dmChannelIdOf(recipientId),
        type: ChannelType.DM,
        recipients: [{ id: recipientId }],
      });
    }
    match = /^\/channels\/([^/]+)\/messages$/.exec(path);
    if (method === 'POST' && match) return this.postMessage(match[1] ?? '', request.body);
    return { status: 404, body: { message: `fake Discord has no route ${method} ${path}`, code: 0 } };
  }

  private callback(interactionId: string, body: unknown): FakeResponse {
    const exchange = this.exchanges.get(interactionId);
    const { type, data } = body as { type: number; data?: Record<string, unknown> };
    if (exchange === undefined) return unknownInteraction();
    const late = Date.now() - exchange.dispatchedAt > INTERACTION_DEADLINE_MS;
    const again = exchange.callbacks.some((callback) => callback.accepted);
    exchange.callbacks.push({ type, data, accepted: !late && !again });
    if (late) return unknownInteraction();
    if (again) {
      return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
    }
    return { status: 204 };
  }

  private editOriginal(token: string, body: unknown): FakeResponse {
    const exchange = [...this.exchanges.values()].find((candidate) => candidate.interaction.token === token);
    if (exchange === undefined || !exchange.callbacks.some((callback) => callback.accepted)) {
      return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    }
    exchange.edits.push(body as Record<string, unknown>);
    return json(this.message(exchange.interaction.channel?.id ?? '0', body));
  }

  private followUp(token: string, body: unknown): FakeResponse {
    const exchange = [...this.exchanges.values()].find((candidate) => candidate.interaction.token === token);
    if (exchange === undefined || !exchange.callbacks.some((callback) => callback.accepted)) {
      return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    }
    const refused = checkMessageLimits(body as Partial<APIMessage>);
    if (refused) return refused;
    exchange.followUps.push(body as Record<string, unknown>);
    return json(this.message(exchange.interaction.channel?.id ?? '0', body));
  }

  private registerCommands(applicationId: string, guildId: string | undefined, body: unknown): FakeResponse {
    if (applicationId !== FAKE_APPLICATION_ID)
      return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    const commands = (body as RESTPutAPIApplicationCommandsJSONBody).map(
      (command) =>
        ({
          ...command,
          id: this.snowflake(),
          application_id: applicationId,
          version: this.snowflake(),
          default_member_permissions: null,
          type: command.type ?? 1,
          description: 'description' in command ? command.description : '',
          ...(guildId === undefined ? {} : { guild_id: guildId }),
        }) as APIApplicationCommand,
    );
    this.registeredCommands.set(guildId ?? 'global', commands);
    return json(commands);
  }

  private postMessage(channelId: string, body: unknown): FakeResponse {
    const payload = withAttachments(body) as Partial<APIMessage> & { enforce_nonce?: boolean };
    const refused = checkMessageLimits(payload);
    if (refused) return refused;
    // Discord keeps only the first 10 embeds of a message, silently.
    if (payload.embeds && payload.embeds.length > 10) payload.embeds = payload.embeds.slice(0, 10);
    const list = this.messages.get(channelId) ?? [];
    // With enforce_nonce, a create with a nonce already used in the channel returns that message instead.
    if (payload.enforce_nonce && payload.nonce !== undefined) {
      const earlier = list.find((message) => message.nonce === payload.nonce);
      if (earlier) {
        this.nonceRepeats += 1;
        return json(earlier);
      }
    }
    const message = this.message(channelId, payload);
    list.push(message);
    this.messages.set(channelId, list);
    if (isMultipart(body))
      this.messageFiles.set(
        message.id,
        body.files.map((file) => file.data),
      );
    return json(message);
  }

  private takeGlobalToken(): FakeResponse | undefined {
    const limit = this.globalLimit;
    if (limit === undefined) return undefined;
    const now = Date.now();
    if (now - limit.windowStart >= 1000) {
      limit.windowStart = now - ((now - limit.windowStart) % 1000);
      limit.used = 0;
    }
    if (limit.used < limit.perSecond) {
      limit.used += 1;
      return undefined;
    }
    this.globalRejections += 1;
    const retryAfter = (limit.windowStart + 1000 - now) / 1000;
    return {
      status: 429,
      headers: {
        'retry-after': String(Math.max(retryAfter, 0.001)),
        'x-ratelimit-global': 'true',
        'x-ratelimit-scope': 'global',
      },
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global: true },
    };
  }

  private message(channelId: string, body: unknown): APIMessage {
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Partial<APIMessage>;
    return {
      id: this.snowflake(),
      channel_id: channelId,
      author: FAKE_BOT_USER,
      content: fields.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: fields.attachments ?? [],
      embeds: fields.embeds ?? [],
      pinned: false,
      type: 0,
      ...(fields.flags === undefined ? {} : { flags: fields.flags }),
      ...(fields.nonce === undefined ? {} : { nonce: fields.nonce }),
    };
  }
}

/**
 * Discord's create-message limits: 2,000 characters of content, 6,000 of all embeds together, 10
 * attachments. Beyond them Discord answers 400 with code 50035 (Invalid Form Body).
 */
function checkMessageLimits(payload: Partial<APIMessage>): FakeResponse | undefined {
  const embedChars = (payload.embeds ?? []).reduce(
    (sum, embed) =>
      sum + (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0),
    0,
  );
  const problem =
    (payload.content?.length ?? 0) > 2000
      ? 'content: Must be 2000 or fewer in length.'
      : embedChars > 6000
        ? 'embeds: Embed size exceeds maximum size of 6000'
        : (payload.attachments?.length ?? 0) > 10
          ? 'attachments: Must be 10 or fewer in length.'
          : undefined;
  return problem === undefined
    ? undefined
    : { status: 400, body: { message: `Invalid Form Body (${problem})`, code: 50035 } };
}

function json(body: unknown): FakeResponse {
  return { status: 200, body };
}

function unknownInteraction(): FakeResponse {
  return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
}

/**
 * A message with files arrives as multipart: the JSON in `payload_json`, each file in `files[n]`. The
 * recorded message lists the files as attachments (name, type and size) so tests can check a chart went.
 */
function withAttachments(body: unknown): unknown {
  if (!isMultipart(body)) return body;
  const payload = JSON.parse(body.fields.payload_json ?? '{}') as Record<string, unknown>;
  const attachments = body.files.map((file, index) => ({
    id: String(index),
    filename: file.filename,
    size: file.data.length,
    content_type: file.contentType,
    url: `https://cdn.invalid/attachments/${file.filename}`,
    proxy_url: `https://cdn.invalid/attachments/${file.filename}`,
  }));
  return { ...payload, attachments };
}

function isMultipart(body: unknown): body is MultipartBody {
  return typeof body === 'object' && body !== null && 'fields' in body && 'files' in body;
}
