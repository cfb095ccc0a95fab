import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPModuleFunctions, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { channelKey } from '../../shared/domain/channel-key.js';
import { PLATFORM_REQUEST_TIMEOUT_MS } from '../../shared/domain/platform-limits.js';
import { InvalidUserKeyError, slackUserKey } from '../../shared/domain/user-key.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { CommandCore } from '../core/command-core.js';
import type { CommandPlace } from '../core/command-place.js';
import type { CommandResult } from '../core/command-result.js';
import { boltLogger } from './bolt-logger.js';
import {
  SlackRequestGuard,
  type SlackRequestGuardOptions,
  type SlackRequestRefusal,
} from './slack-request-guard.js';
import { renderSlackReply, SLACK_HELP_COMMAND } from './slack-text.js';

/** How Slack reaches the bot: signed HTTP requests to a public URL, or a WebSocket the bot opens. */
export type SlackConnection =
  | { readonly kind: 'http'; readonly signingSecret: string; readonly port: number; readonly host?: string }
  | {
      readonly kind: 'socket';
      readonly appToken: string;
      /** Pong deadline, and the wait before each reconnect attempt; Slack's client defaults to 5,000 ms. */
      readonly pingTimeoutMs?: number;
    };

export interface SlackBotOptions {
  readonly botToken: string;
  readonly connection: SlackConnection;
  readonly core: CommandCore;
  readonly logger?: Logger;
  /** Web API options: `slackApiUrl` and `retryConfig` for a local fake in tests. */
  readonly clientOptions?: WebClientOptions;
  /** The replay and clock-skew window of HTTP requests (tests pass a clock). */
  readonly requestGuard?: SlackRequestGuardOptions;
}

/** A signed request refused for its timestamp or as a replay; Bolt's receiver answers it 401. */
class SlackRequestRefused extends Error {
  override readonly name = 'SlackRequestRefused';
  /** Bolt passes on errors that carry a code unchanged. */
  readonly code = 'slack_request_refused';

  constructor(readonly reason: SlackRequestRefusal) {
    super(`slack request refused: ${reason}`);
  }
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const { defaultProcessEventErrorHandler } = HTTPModuleFunctions;

/** Slack command → command core name. */
export const SLACK_COMMANDS: Readonly<Record<string, string>> = {
  '/watch': 'watch',
  '/unwatch': 'unwatch',
  '/watchlist': 'watchlist',
  [SLACK_HELP_COMMAND]: 'help',
  '/digest': 'digest',
};

const FAILURE_TEXT =
  '⚠️ StockAlert could not complete that just now (storage is unavailable). Try again in a minute.';

const IDENTITY_TEXT =
  '⚠️ StockAlert could not tell who sent that (the request carried malformed Slack ids), so nothing was saved.';

/** Where Slack sends slash commands in HTTP mode (the manifest's `url`). */
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * StockAlert on Slack with Bolt. Each slash command is acknowledged at once (Slack allows 3 s), then run
 * through the command core; the answer goes to the command's response_url as an ephemeral message. The
 * user is the request's team and user id, which Slack signs (HTTP) or sends over the app's own socket.
 */
export class SlackBot {
  readonly app: App;
  private readonly inFlight = new Set<Promise<void>>();
  private started = false;

  constructor(private readonly options: SlackBotOptions) {
    const logger = boltLogger(options.logger);
    const guard =
      options.connection.kind === 'http' ? new SlackRequestGuard(options.requestGuard) : undefined;
    const receiver: Receiver =
      options.connection.kind === 'http'
        ? new HTTPReceiver({
            signingSecret: options.connection.signingSecret,
            endpoints: SLACK_EVENTS_PATH,
            logger,
            // Bolt has verified the signature by now; the guard needs the signed timestamp and the signature.
            customPropertiesExtractor: (request) => ({
              slackRequestTimestamp: headerOf(request.headers['x-slack-request-timestamp']),
              slackRequestSignature: headerOf(request.headers['x-slack-signature']),
            }),
            processEventErrorHandler: async (args) => {
              if (!(args.error instanceof SlackRequestRefused)) return defaultProcessEventErrorHandler(args);
              args.response.writeHead(401);
              args.response.end();
              return true;
            },
          })
        : new SocketModeReceiver({
            appToken: options.connection.appToken,
            logger,
            ...(options.connection.pingTimeoutMs === undefined
              ? {}
              : { clientPingTimeout: options.connection.pingTimeoutMs }),
            ...(options.clientOptions ? { installerOptions: { clientOptions: options.clientOptions } } : {}),
          });
    this.app = new App({
      token: options.botToken,
      receiver,
      logger,
      // Bolt otherwise checks the token in the constructor, where a refusal becomes an unhandled rejection;
      // start() runs the check instead, so a wrong token fails start() with Slack's reason.
      deferInitialization: true,
      clientOptions: { timeout: PLATFORM_REQUEST_TIMEOUT_MS, ...options.clientOptions },
    });
    if (guard !== undefined) {
      this.app.use(async ({ context, body, next }) => {
        const refusal = guard.check({
          timestamp: context.slackRequestTimestamp as string | undefined,
          signature: context.slackRequestSignature as string | undefined,
          triggerId: (body as { trigger_id?: string }).trigger_id,
        });
        if (refusal === undefined) return next();
        options.logger?.warn('slack request refused', { reason: refusal });
        throw new SlackRequestRefused(refusal);
      });
    }
    for (const [name, coreName] of Object.entries(SLACK_COMMANDS)) {
      this.app.command(name, async ({ command, ack, respond }) => {
        await ack();
        const place = this.placeOf(command.team_id, command.channel_id, command.user_id);
        const work = this.run(command.team_id, command.user_id, coreName, command.text, place).then((text) =>
          respond({ response_type: 'ephemeral', text }).then(() => undefined),
        );
        const tracked = work
          .catch((error: unknown) => options.logger?.error('slack reply failed', { command: name, error }))
          .finally(() => this.inFlight.delete(tracked));
        this.inFlight.add(tracked);
        await tracked;
      });
    }
    this.app.error(async (error) => {
      // A refused request goes back to the receiver, which answers it 401.
      if (error instanceof SlackRequestRefused) throw error;
      options.logger?.error('slack app error', { error });
    });
  }

  /** Starts listening (HTTP) or connects (Socket Mode). Returns the HTTP port in HTTP mode. */
  async start(): Promise<{ readonly port?: number }> {
    const { connection } = this.options;
    await this.app.init();
    this.started = true;
    if (connection.kind === 'http') {
      const server = (await this.app.start({
        port: connection.port,
        host: connection.host ?? '0.0.0.0',
      })) as Server;
      const { port } = server.address() as AddressInfo;
      this.options.logger?.info('slack bot listening', { port, path: SLACK_EVENTS_PATH });
      return { port };
    }
    await this.app.start();
    this.options.logger?.info('slack bot connected', { mode: 'socket' });
    return {};
  }

  /** Lets answers in progress finish, then stops listening or disconnects. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    if (!this.started) return;
    this.started = false;
    await this.app.stop();
  }

  /**
   * A DM (Slack's DM channel ids start with D), or a channel. Slack has no per-channel manager role that
   * a bot can read, so channel digests are managed by workspace admins and owners, read from
   * `users.info` (`is_admin`, `is_owner`) when a command needs it: a rule that does not depend on who
   * happened to subscribe first.
   */
  private placeOf(teamId: string, channelId: string, userId: string): CommandPlace {
    if (channelId.startsWith('D')) return { kind: 'dm' };
    return {
      kind: 'channel',
      channelKey: channelKey({ platform: 'slack', community: teamId, channelId }),
      managerRule: 'slack-workspace-admin',
      mayManage: async () => {
        const info = await this.app.client.users.info({ user: userId });
        return info.user?.is_admin === true || info.user?.is_owner === true;
      },
    };
  }

  private async run(
    teamId: string,
    userId: string,
    name: string,
    text: string,
    place: CommandPlace,
  ): Promise<string> {
    const trimmed = text.trim();
    const args = trimmed === '' ? [] : trimmed.split(/\s+/);
    let result: CommandResult;
    let userKey: string | undefined;
    try {
      // Signed by Slack, but still checked: the ids become a partition key and a DM address.
      userKey = slackUserKey(teamId, userId);
      result = await this.options.core.run(userKey, name, args, place);
    } catch (error) {
      this.options.logger?.error('slack command failed', { command: name, userKey: userKey ?? null, error });
      return error instanceof InvalidUserKeyError ? IDENTITY_TEXT : FAILURE_TEXT;
    }
    return renderSlackReply(result);
  }
}
