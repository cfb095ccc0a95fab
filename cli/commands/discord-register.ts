import { type Command, InvalidArgumentError } from 'commander';
import { loadChatPlatformsConfig } from '../../bot/bot-config.js';
import {
  discordRefusalStatus,
  discordSetupRest,
  registerDiscordCommands,
} from '../../bot/discord/register-discord-commands.js';
import { ConfigError } from '../../shared/config/parse-env.js';
import type { RegisterCommand } from './index.js';

function parseGuildId(value: string): string {
  if (!/^\d{17,20}$/.test(value)) {
    throw new InvalidArgumentError(
      'expected a server id of 17–20 digits (Discord: User Settings → Advanced → Developer Mode, then right-click the server → Copy Server ID).',
    );
  }
  return value;
}

/** `stockalert discord register [--guild ID]`: installs the slash commands for the bot in DISCORD_BOT_TOKEN. */
export const registerDiscordRegister: RegisterCommand = (program: Command) => {
  const discord = program.command('discord').description('Discord setup');
  discord
    .command('register')
    .description(
      'Install (or update) the /watch, /unwatch, /watchlist and /help slash commands for the bot whose token is in DISCORD_BOT_TOKEN.',
    )
    .option(
      '--guild <id>',
      'only in this server, where they appear at once (good for trying it out)',
      parseGuildId,
    )
    .action(async (options: { guild?: string }) => {
      await register(options.guild);
    });
};

async function register(guildId: string | undefined): Promise<void> {
  const { discord } = loadChatPlatformsConfig(process.env);
  if (discord === undefined) {
    throw new ConfigError(
      'DISCORD_BOT_TOKEN is not set: copy the bot token from the Developer Portal (your app → Bot → Reset Token) into it. See "Connect to Discord" in README.md.',
    );
  }
  const rest = discordSetupRest(discord);
  try {
    const registered = await registerDiscordCommands(rest, guildId);
    const names = registered.commands.map((command) => `/${command.name}`).join(', ');
    const where =
      guildId === undefined ? 'globally (every server the bot is in, and DMs)' : `in server ${guildId}`;
    process.stdout.write(`installed ${registered.commands.length} commands ${where}: ${names}\n`);
    process.stdout.write(
      `invite the bot with: https://discord.com/oauth2/authorize?client_id=${registered.applicationId}&scope=bot+applications.commands&permissions=0\n`,
    );
  } catch (error) {
    const status = discordRefusalStatus(error);
    if (status === 401) {
      throw new ConfigError(
        'Discord refused DISCORD_BOT_TOKEN (401): reset the token in the Developer Portal and set it again.',
      );
    }
    if (status === 403 && guildId !== undefined) {
      throw new ConfigError(
        `Discord refused to install commands in server ${guildId} (403): invite the bot to that server first, with the applications.commands scope.`,
      );
    }
    throw error;
  }
}
