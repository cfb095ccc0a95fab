import type { APIUser } from 'discord-api-types/v10';
import { expect } from 'vitest';
import { DynamoSymbolDirectory } from '../../bot/aws/dynamo-symbol-directory.js';
import { createCommandCore } from '../../bot/core/command-core.js';
import { DiscordBot } from '../../bot/discord/discord-bot.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { QuoteSnapshot } from '../../shared/ports/quote-store.js';
import { startTestAws, type TestAws } from '../helpers/embedded-aws.js';
import {
  discordUser,
  type InteractionPlace,
  type OptionValue,
  slashCommand,
} from './discord-interactions.js';
import { FAKE_DISCORD_TOKEN, FakeDiscord, type InteractionExchange } from './fake-discord.js';
import { SlowWatchRepository } from './slow-watch-repository.js';

export const GUILD: InteractionPlace = { guildId: '500000000000000001' };
export const EPHEMERAL = 64;

/** A latest-quote item as the detector writes it; only price and previous close matter to the bot. */
export function quote(symbol: string, price: number, previousClose?: number): QuoteSnapshot {
  const ts = Date.UTC(2024, 0, 2, 15, 0);
  const bar = { symbol, minute: ts, open: price, high: price, low: price, close: price, volume: 100 };
  return {
    symbol,
    price,
    ts,
    day: '2024-01-02',
    open: price,
    high: price,
    low: price,
    volume: 100,
    ...(previousClose === undefined ? {} : { previousClose }),
    openBar: { ...bar, openTs: ts, highTs: ts, lowTs: ts, closeTs: ts },
    levels: {},
  };
}

type Options = Record<string, OptionValue | undefined>;

/**
 * The real discord.js bot on the embedded DynamoDB (Watches behind an adjustable latency, Quotes with BAC,
 * AAPL, AMD and AMZN traded) logged in to a fake Discord, with helpers to send commands and read answers.
 */
export class DiscordHarness {
  bot!: DiscordBot;
  private userSeq = 0;

  private constructor(
    readonly aws: TestAws,
    readonly discord: FakeDiscord,
    readonly repository: DynamoWatchRepository,
    readonly watches: SlowWatchRepository,
    readonly quotes: DynamoQuoteRepository,
    readonly maxWatches: number,
  ) {}

  static async start(maxWatches: number): Promise<DiscordHarness> {
    const aws = await startTestAws();
    const discord = await FakeDiscord.start();
    const repository = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
    const quotes = new DynamoQuoteRepository(aws.clients.dynamo, aws.names.quotesTable);
    await quotes.saveQuotes([
      quote('BAC', 33.12, 33.624365),
      quote('AAPL', 190),
      quote('AMD', 120),
      quote('AMZN', 150),
    ]);
    const harness = new DiscordHarness(
      aws,
      discord,
      repository,
      new SlowWatchRepository(repository),
      quotes,
      maxWatches,
    );
    harness.bot = harness.newBot();
    await harness.bot.start();
    return harness;
  }

  /** A bot on this harness's storage and fake; `deferAfterMs` as in DiscordBotOptions. */
  newBot(deferAfterMs?: number): DiscordBot {
    return new DiscordBot({
      token: FAKE_DISCORD_TOKEN,
      core: createCommandCore({
        watches: this.watches,
        quotes: this.quotes,
        maxWatchesPerUser: this.maxWatches,
      }),
      symbols: new DynamoSymbolDirectory(this.aws.clients.dynamo, this.aws.names.quotesTable),
      readyTimeoutMs: 10_000,
      ...(deferAfterMs === undefined ? {} : { deferAfterMs }),
      clientOptions: {
        rest: { api: this.discord.apiUrl, retries: 0, timeout: 5_000 },
        // Re-identifying after op 9 would otherwise wait out discord.js's 5 s identify throttle.
        ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
      },
    });
  }

  /** Replaces the running bot (the fake serves one gateway session at a time). */
  async swapBot(next: DiscordBot): Promise<void> {
    await this.bot.stop();
    this.bot = next;
    await next.start();
  }

  async stop(): Promise<void> {
    await this.bot?.stop();
    await this.discord.stop();
    await this.aws.stop();
  }

  newUser(): APIUser {
    this.userSeq += 1;
    return discordUser(String(600000000000000000n + BigInt(this.userSeq)));
  }

  /** Sends a slash command and returns the exchange once the bot has answered it. */
  async send(
    name: string,
    options: Options,
    user: APIUser,
    place: InteractionPlace = GUILD,
  ): Promise<InteractionExchange> {
    const exchange = this.discord.sendInteraction(slashCommand(name, options, user, place));
    return this.discord.waitForAnswer(exchange.interaction.id);
  }

  /** Sends a slash command and returns the visible answer, asserting it was accepted and ephemeral. */
  async ask(name: string, options: Options, user: APIUser, place: InteractionPlace = GUILD): Promise<string> {
    return answerOf(await this.send(name, options, user, place));
  }

  itemsOf(user: APIUser): Promise<Watch[]> {
    return this.repository.listByUser(`discord:${user.id}`);
  }
}

/** The visible answer: the reply's content, or the edit after a defer. Asserts it is ephemeral. */
export function answerOf(exchange: InteractionExchange): string {
  const first = exchange.callbacks[0];
  expect(first?.accepted).toBe(true);
  expect(first?.data?.flags).toBe(EPHEMERAL);
  const content = first?.type === 4 ? first.data?.content : exchange.edits[0]?.content;
  expect(typeof content).toBe('string');
  return content as string;
}
