import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { MAX_THRESHOLD_PCT, MIN_THRESHOLD_PCT } from '../../shared/domain/watch.js';
import { describeWindow, WINDOWS } from '../../shared/domain/window.js';

/** Option names, shared by the definitions below and the handler that reads them. */
export const OPTION = {
  symbol: 'symbol',
  threshold: 'threshold',
  window: 'window',
  direction: 'direction',
  hours: 'hours',
  page: 'page',
  action: 'action',
  schedule: 'schedule',
  time: 'time',
  symbols: 'symbols',
} as const;

const windowChoices = WINDOWS.map((window) => ({
  name: `${window} (${describeWindow(window)})`,
  value: window,
}));

/** Usable in servers and in the DM with the bot. */
function everywhere(): Pick<
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  'type' | 'contexts' | 'integration_types'
> {
  return {
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}

/**
 * The slash commands as Discord registers them: typed options with choices, so most bad input cannot even
 * be typed; the command core still validates everything, since a client can send anything.
 */
export const DISCORD_COMMANDS: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    ...everywhere(),
    name: 'watch',
    description: 'Get a DM when a stock moves by a threshold within a window',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: OPTION.symbol,
        description: 'Stock symbol, e.g. BAC',
        required: true,
        autocomplete: true,
        max_length: 10,
      },
      {
        type: ApplicationCommandOptionType.Number,
        name: OPTION.threshold,
        description: `Move in percent, ${MIN_THRESHOLD_PCT}–${MAX_THRESHOLD_PCT} (default 3)`,
        min_value: MIN_THRESHOLD_PCT,
        max_value: MAX_THRESHOLD_PCT,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: OPTION.window,
        description: 'Within how long (default 15m)',
        choices: windowChoices,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: OPTION.direction,
        description: 'Rises, falls or both (default both)',
        choices: [
          { name: 'up', value: 'up' },
          { name: 'down', value: 'down' },
          { name: 'both', value: 'both' },
        ],
      },
      {
        type: ApplicationCommandOptionType.String,
        name: OPTION.hours,
        description: 'All trading hours or regular hours only (default all)',
        choices: [
          { name: 'all', value: 'all' },
          { name: 'regular', value: 'regular' },
        ],
      },
    ],
  },
  {
    ...everywhere(),
    name: 'unwatch',
    description: 'Stop watching a stock (one window, all its windows, or "all" to clear the list)',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: OPTION.symbol,
        description: 'Stock symbol, or "all" to clear your watchlist',
        required: true,
        autocomplete: true,
        max_length: 10,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: OPTION.window,
        description: 'Only this window (default: every window of the symbol)',
        choices: windowChoices,
      },
    ],
  },
  {
    ...everywhere(),
    name: 'watchlist',
    description: 'Show your watches with their last prices',
    options: [
      {
        type: ApplicationCommandOptionType.Integer,
        name: OPTION.page,
        description: 'Which page of a long list (default 1)',
        min_value: 1,
        max_value: 9999,
      },
    ],
  },
  { ...everywhere(), name: 'help', description: 'How to use StockAlert' },
  {
    // Offered in DMs too, so that typing it there explains that digests are for channels.
    ...everywhere(),
    name: 'digest',
    description: "This channel's digest of the movers: show it, turn it on or off, or post one now",
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: OPTION.action,
        description: 'What to do (default: show the settings)',
        choices: [
          { name: 'on (Manage Channels)', value: 'on' },
          { name: 'off (Manage Channels)', value: 'off' },
          { name: 'now (Manage Channels)', value: 'now' },
        ],
      },
      {
        type: ApplicationCommandOptionType.String,
        name: OPTION.schedule,
        description: 'With on: daily (default) or hourly',
        choices: [
          { name: 'daily', value: 'daily' },
          { name: 'hourly (10:00–16:00 ET)', value: 'hourly' },
        ],
      },
      {
        type: ApplicationCommandOptionType.String,
        name: OPTION.time,
        description: 'With daily: New York time, HH:MM (default 16:15)',
        max_length: 5,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: OPTION.symbols,
        description: 'Symbols, e.g. AAPL SPY (default: the symbols people here watch)',
        max_length: 600,
      },
    ],
  },
];
