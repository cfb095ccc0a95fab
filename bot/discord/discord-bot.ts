import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  Client,
  type ClientOptions,
  Events,
  type Interaction,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { channelKey } from '../../shared/domain/channel-key.js';
import { PLATFORM_REQUEST_TIMEOUT_MS } from '../../shared/domain/platform-limits.js';
import { discordUserKey } from '../../shared/domain/user-key.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { CommandCore } from '../core/command-core.js';
import type { CommandPlace } from '../core/command-place.js';
import { type CommandResult, rejected } from '../core/command-result.js';
import type { SymbolDirectory } from '../core/symbol-directory.js';
import { parseInteraction } from './discord-interaction.js';
import { renderDiscordReply } from './discord-text.js';

export interface DiscordBotOptions {
  readonly token: string;
  readonly core: CommandCore;
  /** Suggests symbols for `/watch`; without it only the typed text is offered. */
  readonly symbols?: SymbolDirectory;
  readonly logger?: Logger;
  /**
   * Answer directly when the command finishes within this time, otherwise defer first and edit the
   * answer in later. Discord drops an interaction not answered within 3 s. Default 1,000 ms.
   */
  readonly deferAfterMs?: number;
  /** How long symbol suggestions may take before only the typed text is offered. Default 2,000 ms. */
  readonly suggestBudgetMs?: number;
  /** Bounds `start()`: a gateway that never sends READY must not hang the process. Default 30 s. */
  readonly readyTimeoutMs?: number;
  /** Extra discord.js options: `rest.api` and `ws` for a local fake in tests. */
  readonly clientOptions?: Partial<ClientOptions>;
}

/** Autocomplete shows at most this many choices. */
const MAX_CHOICES = 25;
const FAILURE_TEXT =
  '⚠️ StockAlert could not complete that just now (storage is unavailable). Try again in a minute.';

/**
 * StockAlert on Discord: a gateway client that answers the slash commands through the command core, in
 * guilds and in DMs with the bot. Every reply is ephemeral. The adapter only translates: the user comes
 * from the interaction's authenticated user, options become a Command, results become text.
 */
export class DiscordBot {
  readonly client: Client;
  private readonly deferAfterMs: number;
  private readonly suggestBudgetMs: number;
  /** Interactions being answered, so that stop() can let them finish. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: DiscordBotOptions) {
    this.deferAfterMs = options.deferAfterMs ?? 1_000;
    this.suggestBudgetMs = options.suggestBudgetMs ?? 2_000;
    // No privileged or message intents: slash commands arrive regardless of intents.
    this.client = new Client({
      intents: [],
      ...options.clientOptions,
      rest: { timeout: PLATFORM_REQUEST_TIMEOUT_MS, ...options.clientOptions?.rest },
    });
    this.client.on(Events.InteractionCreate, (interaction) => {
      const work = this.handle(interaction).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    });
    this.client.on(Events.Error, (error) => options.logger?.error('discord client error', { error }));
  }

  /** Logs in and resolves once the gateway session is ready. */
  async start(): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Discord gateway did not become ready within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.client.once(Events.ClientReady, () => resolve());
    });
    try {
      await this.client.login(this.options.token);
      await ready;
    } finally {
      clearTimeout(timer);
    }
    this.options.logger?.info('discord bot ready', { user: this.client.user?.tag });
  }

  /** Lets answers in progress finish, then closes the gateway connection. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.client.destroy();
  }

  private async handle(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) await this.suggest(interaction);
      else if (interaction.isChatInputCommand()) await this.answer(interaction);
    } catch (error) {
      this.options.logger?.error('discord interaction failed', {
        interactionId: interaction.id,
        error,
      });
    }
  }

  private async answer(interaction: ChatInputCommandInteraction): Promise<void> {
    const userKey = discordUserKey(interaction.user.id);
    const parsed = parseInteraction(interaction);
    const work: Promise<CommandResult | Error> = (
      parsed.ok
        ? this.options.core.execute(userKey, parsed.command, placeOf(interaction))
        : Promise.resolve(rejected(parsed.error))
    ).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));

    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => {
      timer = setTimeout(() => resolve('slow'), this.deferAfterMs);
    });
    const first = await Promise.race([work, slow]);
    clearTimeout(timer);
    const deferred = first === 'slow';
    if (deferred) await interaction.deferReply({ flags: MessageFlags.Ephemeral });

    const outcome = await work;
    if (outcome instanceof Error) {
      this.options.logger?.error('discord command failed', {
        command: interaction.commandName,
        userKey,
        error: String(outcome),
      });
    }
    const [head = '', ...rest] = outcome instanceof Error ? [FAILURE_TEXT] : renderDiscordReply(outcome);
    if (deferred) await interaction.editReply({ content: head });
    else await interaction.reply({ content: head, flags: MessageFlags.Ephemeral });
    for (const part of rest) await interaction.followUp({ content: part, flags: MessageFlags.Ephemeral });
  }

  /**
   * Symbol suggestions: known symbols for /watch, the user's own watched symbols for /unwatch. Suggestions
   * have the same 3 s limit as commands, so a slow lookup is cut short and only the typed text is offered.
   */
  private async suggest(interaction: AutocompleteInteraction): Promise<void> {
    const prefix = interaction.options.getFocused().trim().toUpperCase();
    const lookup =
      interaction.commandName === 'unwatch'
        ? this.options.core
            .watchedSymbols(discordUserKey(interaction.user.id))
            .then((watched) => watched.filter((symbol) => symbol.startsWith(prefix)))
        : (this.options.symbols?.search(prefix, MAX_CHOICES) ?? Promise.resolve([]));
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<string[]>((resolve) => {
      timer = setTimeout(() => resolve([]), this.suggestBudgetMs);
    });
    const symbols: string[] = await Promise.race([lookup, budget])
      .catch((error: unknown) => {
        this.options.logger?.warn('symbol suggestions failed', { error });
        return [] as string[];
      })
      .finally(() => clearTimeout(timer));
    // What the user typed stays choosable even when nothing matches, so autocomplete never blocks input.
    if (prefix !== '' && !symbols.includes(prefix)) symbols.unshift(prefix);
    await interaction.respond(
      symbols.slice(0, MAX_CHOICES).map((symbol) => ({ name: symbol, value: symbol })),
    );
  }
}

/**
 * A guild channel, or the DM with the bot. The member's permissions come with the interaction
 * (`member.permissions`, computed by Discord for that channel), so no extra request is needed.
 */
function placeOf(interaction: ChatInputCommandInteraction): CommandPlace {
  if (!interaction.inGuild()) return { kind: 'dm' };
  return {
    kind: 'channel',
    channelKey: channelKey({
      platform: 'discord',
      community: interaction.guildId,
      channelId: interaction.channelId,
    }),
    managerRule: 'discord-manage-channels',
    mayManage: async () => interaction.memberPermissions.has(PermissionFlagsBits.ManageChannels),
  };
}
