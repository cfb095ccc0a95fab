import type { Logger } from '../shared/ports/logger.js';
import type { ChatPlatformsConfig } from './bot-config.js';
import type { CommandCore } from './core/command-core.js';
import type { SymbolDirectory } from './core/symbol-directory.js';
import { DiscordBot } from './discord/discord-bot.js';
import { SlackBot } from './slack/slack-bot.js';

export interface ChatBotsOptions {
  readonly platforms: ChatPlatformsConfig;
  readonly core: CommandCore;
  readonly symbols?: SymbolDirectory;
  readonly logger?: Logger;
}

export interface RunningChatBots {
  /** One line per started platform, for the terminal, e.g. `Discord as stockalert#0`, `Slack (Socket Mode)`. */
  readonly started: readonly string[];
  stop(): Promise<void>;
}

/**
 * Starts every chat platform that has credentials, all over the same command core. If one fails to start,
 * those already started are stopped again and the error is thrown: a half-started bot helps nobody.
 */
export async function startChatBots(options: ChatBotsOptions): Promise<RunningChatBots> {
  const { platforms, core, logger } = options;
  const stops: (() => Promise<void>)[] = [];
  const started: string[] = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne().catch(() => undefined);
  };
  try {
    if (platforms.discord) {
      const discord = new DiscordBot({
        token: platforms.discord.token,
        core,
        ...(options.symbols ? { symbols: options.symbols } : {}),
        ...(logger ? { logger } : {}),
        ...(platforms.discord.apiUrl ? { clientOptions: { rest: { api: platforms.discord.apiUrl } } } : {}),
      });
      stops.push(() => discord.stop());
      await discord.start();
      started.push(`Discord as ${discord.client.user?.tag ?? 'the bot'}`);
    }
    if (platforms.slack) {
      const { connection } = platforms.slack;
      const slack = new SlackBot({
        botToken: platforms.slack.botToken,
        connection,
        core,
        ...(logger ? { logger } : {}),
        ...(platforms.slack.apiUrl ? { clientOptions: { slackApiUrl: platforms.slack.apiUrl } } : {}),
      });
      stops.push(() => slack.stop());
      const { port } = await slack.start();
      started.push(
        connection.kind === 'socket'
          ? 'Slack (Socket Mode)'
          : `Slack (HTTP on port ${port}, path /slack/events)`,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { started, stop };
}
