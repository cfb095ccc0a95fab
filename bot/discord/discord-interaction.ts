import type { ChatInputCommandInteraction } from 'discord.js';
import type { ParsedCommand } from '../core/parse-command.js';
import { parseCommand } from '../core/parse-command.js';
import { parseUnwatchOptions, parseWatchOptions } from '../core/parse-options.js';
import { OPTION } from './discord-commands.js';

/** Reads a slash command's options into a Command; the same validation as typed text applies. */
export function parseInteraction(interaction: ChatInputCommandInteraction): ParsedCommand {
  const { options } = interaction;
  // Options are read by raw value: a client may send any type, and the core reports it as bad input.
  const value = (name: string): string | number | undefined => {
    const raw = options.get(name)?.value;
    return typeof raw === 'string' || typeof raw === 'number' ? raw : undefined;
  };
  const text = (name: string): string | undefined => {
    const raw = value(name);
    return raw === undefined ? undefined : String(raw);
  };
  switch (interaction.commandName) {
    case 'watch':
      return parseWatchOptions({
        symbol: text(OPTION.symbol),
        threshold: value(OPTION.threshold),
        window: text(OPTION.window),
        direction: text(OPTION.direction),
        hours: text(OPTION.hours),
      });
    case 'unwatch':
      return parseUnwatchOptions({ symbol: text(OPTION.symbol), window: text(OPTION.window) });
    case 'watchlist': {
      const page = text(OPTION.page);
      return parseCommand('watchlist', page === undefined ? [] : [page]);
    }
    default:
      return parseCommand(interaction.commandName, []);
  }
}
