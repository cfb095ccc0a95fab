import type { ChatInputCommandInteraction } from 'discord.js';
import type { ParsedCommand } from '../core/parse-command.js';
import { parseCommand } from '../core/parse-command.js';
import { parseUnwatchOptions, parseWatchOptions } from '../core/parse-options.js';
import { OPTION } from './discord-commands.js';

/**
 * `/digest action:on schedule:daily time:16:15 symbols:AAPL SPY` → the words typed on Slack,
 * `on daily 16:15 AAPL SPY`, so that both platforms share one parser and its errors. Options other than
 * the action are ignored without `on`, except that they make `off` or `now` an error.
 */
function digestWords(text: (name: string) => string | undefined): string[] {
  const action = text(OPTION.action);
  const schedule = text(OPTION.schedule);
  const time = text(OPTION.time);
  const symbols = (text(OPTION.symbols) ?? '').split(/[\s,]+/).filter((word) => word !== '');
  if (action === undefined) return [];
  if (action !== 'on') return [action, ...(schedule ? [schedule] : []), ...(time ? [time] : []), ...symbols];
  const when = time !== undefined ? ['daily', time] : schedule !== undefined ? [schedule] : [];
  if (schedule === 'hourly' && time !== undefined) return [action, 'hourly', time, ...symbols];
  return [action, ...when, ...symbols];
}

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
    case 'digest':
      return parseCommand('digest', digestWords(text));
    default:
      return parseCommand(interaction.commandName, []);
  }
}
