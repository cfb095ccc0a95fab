import { DiscordAPIError, REST } from '@discordjs/rest';
import { type APIApplication, type APIApplicationCommand, Routes } from 'discord-api-types/v10';
import { DISCORD_COMMANDS } from './discord-commands.js';

export interface RegisteredCommands {
  readonly applicationId: string;
  /** Where they were installed: a guild id, or undefined for every guild and DM (global). */
  readonly guildId: string | undefined;
  readonly commands: readonly APIApplicationCommand[];
}

/**
 * Installs (overwrites) StockAlert's slash commands for the bot's application: in one guild, where they
 * appear at once (good for trying it out), or globally. The application id comes from the token itself.
 */
export async function registerDiscordCommands(rest: REST, guildId?: string): Promise<RegisteredCommands> {
  const application = (await rest.get(Routes.currentApplication())) as APIApplication;
  const route =
    guildId === undefined
      ? Routes.applicationCommands(application.id)
      : Routes.applicationGuildCommands(application.id, guildId);
  const commands = (await rest.put(route, { body: DISCORD_COMMANDS })) as APIApplicationCommand[];
  return { applicationId: application.id, guildId, commands };
}

/** A REST client for one-off setup calls (registration): one retry, a 15 s timeout. */
export function discordSetupRest(settings: { readonly token: string; readonly apiUrl?: string }): REST {
  return new REST({
    ...(settings.apiUrl ? { api: settings.apiUrl } : {}),
    retries: 1,
    timeout: 15_000,
  }).setToken(settings.token);
}

/** The HTTP status of a Discord API refusal, or undefined for any other error. */
export function discordRefusalStatus(error: unknown): number | undefined {
  return error instanceof DiscordAPIError ? error.status : undefined;
}
