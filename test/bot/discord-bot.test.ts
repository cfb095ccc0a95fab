import { REST } from '@discordjs/rest';
import type { APIUser } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSymbolDirectory } from '../../bot/aws/dynamo-symbol-directory.js';
import { createCommandCore } from '../../bot/core/command-core.js';
import { DiscordBot } from '../../bot/discord/discord-bot.js';
import { DISCORD_COMMANDS } from '../../bot/discord/discord-commands.js';
import { registerDiscordCommands } from '../../bot/discord/register-discord-commands.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import type { QuoteSnapshot } from '../../shared/ports/quote-store.js';
import {
  autocomplete,
  discordUser,
  type InteractionPlace,
  slashCommand,
} from '../fakes/discord-interactions.js';
import { FAKE_DISCORD_TOKEN, FakeDiscord, type InteractionExchange } from '../fakes/fake-discord.js';
import { SlowWatchRepository } from '../fakes/slow-watch-repository.js';
import { waitUntil } from '../fakes/wait.js';
import { startTestAws, type TestAws } from '../helpers/embedded-aws.js';

const GUILD: InteractionPlace = { guildId: '500000000000000001' };
const EPHEMERAL = 64;
const MAX_WATCHES = 5;

/** A latest-quote item as the detector writes it; only price and previous close matter to the bot. */
function quote(symbol: string, price: number, previousClose?: number): QuoteSnapshot {
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

describe('Discord bot through discord.js against a fake Discord', () => {
  let aws: TestAws;
  let discord: FakeDiscord;
  let repository: DynamoWatchRepository;
  let watches: SlowWatchRepository;
  let bot: DiscordBot;
  let quotes: DynamoQuoteRepository;
  let userSeq = 0;

  function newBot(deferAfterMs?: number): DiscordBot {
    return new DiscordBot({
      token: FAKE_DISCORD_TOKEN,
      core: createCommandCore({ watches, quotes, maxWatchesPerUser: MAX_WATCHES }),
      symbols: new DynamoSymbolDirectory(aws.clients.dynamo, aws.names.quotesTable),
      readyTimeoutMs: 10_000,
      ...(deferAfterMs === undefined ? {} : { deferAfterMs }),
      clientOptions: {
        rest: { api: discord.apiUrl, retries: 0, timeout: 5_000 },
        ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
      },
    });
  }

  beforeAll(async () => {
    aws = await startTestAws();
    discord = await FakeDiscord.start();
    repository = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
    watches = new SlowWatchRepository(repository);
    // Quotes as the detector leaves them: BAC, AAPL, AMD and AMZN have traded, nothing else has.
    quotes = new DynamoQuoteRepository(aws.clients.dynamo, aws.names.quotesTable);
    await quotes.saveQuotes([
      quote('BAC', 33.12, 33.624365),
      quote('AAPL', 190),
      quote('AMD', 120),
      quote('AMZN', 150),
    ]);
    bot = newBot();
    await bot.start();
  }, 30_000);
  afterAll(async () => {
    await bot?.stop();
    await discord?.stop();
    await aws?.stop();
  });

  function newUser(): APIUser {
    userSeq += 1;
    return discordUser(String(600000000000000000n + BigInt(userSeq)));
  }

  /** Sends a slash command and returns the exchange once the bot has answered it. */
  async function send(
    name: string,
    options: Record<string, string | number | undefined>,
    user: APIUser,
    place: InteractionPlace = GUILD,
  ): Promise<InteractionExchange> {
    const exchange = discord.sendInteraction(slashCommand(name, options, user, place));
    return discord.waitForAnswer(exchange.interaction.id);
  }

  /** The visible answer: the reply's content, or the edit after a defer. Asserts it is ephemeral. */
  function answerOf(exchange: InteractionExchange): string {
    const first = exchange.callbacks[0];
    expect(first?.accepted).toBe(true);
    expect(first?.data?.flags).toBe(EPHEMERAL);
    const content = first?.type === 4 ? first.data?.content : exchange.edits[0]?.content;
    expect(typeof content).toBe('string');
    return content as string;
  }

  async function ask(
    name: string,
    options: Record<string, string | number | undefined>,
    user: APIUser,
    place: InteractionPlace = GUILD,
  ): Promise<string> {
    return answerOf(await send(name, options, user, place));
  }

  function itemsOf(user: APIUser) {
    return repository.listByUser(`discord:${user.id}`);
  }

  describe('commands in a guild and in DMs', () => {
    it('/watch in a guild lands the Watches item under discord:<id> and replies ephemerally', async () => {
      const user = newUser();
      const text = await ask(
        'watch',
        { symbol: 'bac', threshold: 2.5, window: '5m', direction: 'down' },
        user,
      );
      expect(text).toBe(
        '✅ Watching BAC 5m: alert when it falls 2.5% within 5 min, at any hour the market trades.',
      );
      expect(await itemsOf(user)).toEqual([
        expect.objectContaining({
          userKey: `discord:${user.id}`,
          symbol: 'BAC',
          thresholdPct: 2.5,
          window: '5m',
          direction: 'down',
          hours: 'all',
        }),
      ]);
    });

    it('/watch in a DM with the bot acts on the same user, and a second window adds a second watch', async () => {
      const user = newUser();
      await ask('watch', { symbol: 'TSLA', threshold: 3, window: '15m' }, user, GUILD);
      const text = await ask(
        'watch',
        { symbol: 'TSLA', threshold: 8, window: '1d', hours: 'regular' },
        user,
        'dm',
      );
      expect(text).toContain(
        '✅ Watching TSLA 1d: alert when it rises or falls 8% within 1 day, in regular hours only.',
      );
      expect(text).toContain('no trades of TSLA have been seen yet');
      const items = await itemsOf(user);
      expect(items.map((watch) => `${watch.symbol} ${watch.window} ${watch.thresholdPct}`).sort()).toEqual([
        'TSLA 15m 3',
        'TSLA 1d 8',
      ]);
    });

    it('/watch on the same symbol and window updates that watch in place', async () => {
      const user = newUser();
      await ask('watch', { symbol: 'BAC', threshold: 3, window: '15m' }, user);
      const text = await ask(
        'watch',
        { symbol: 'BAC', threshold: 4, window: '15m', direction: 'up' },
        user,
        'dm',
      );
      expect(text).toMatch(/^✅ Updated BAC 15m: alert when it rises 4%/);
      expect(await itemsOf(user)).toEqual([
        expect.objectContaining({ symbol: 'BAC', thresholdPct: 4, direction: 'up' }),
      ]);
    });

    it('/watchlist shows each watch with its last price and day change, in a code block', async () => {
      const user = newUser();
      await ask('watch', { symbol: 'BAC', window: '1h' }, user);
      await ask('watch', { symbol: 'NVDA', threshold: 5 }, user);
      const text = await ask('watchlist', {}, user, 'dm');
      const lines = text.split('\n');
      expect(lines[0]).toBe(`📋 Your watchlist (2 of ${MAX_WATCHES}):`);
      expect(lines[1]).toBe('```');
      expect(lines[2]).toMatch(/^BAC\s+3%\s+1h\s+both\s+all hours\s+33\.12 \(-1\.50% today\)$/);
      expect(lines[3]).toMatch(/^NVDA\s+5%\s+15m\s+both\s+all hours$/);
      expect(lines[4]).toBe('```');
    });

    it('/unwatch removes one window, then the rest of the symbol, and symbol:all clears the list', async () => {
      const user = newUser();
      for (const window of ['5m', '1h', '1d']) await ask('watch', { symbol: 'AMD', window }, user);
      await ask('watch', { symbol: 'BAC' }, user);

      expect(await ask('unwatch', { symbol: 'amd', window: '1h' }, user)).toBe(
        '🗑️ Stopped watching AMD (1h).',
      );
      expect((await itemsOf(user)).map((watch) => `${watch.symbol}#${watch.window}`).sort()).toEqual([
        'AMD#1d',
        'AMD#5m',
        'BAC#15m',
      ]);
      expect(await ask('unwatch', { symbol: 'AMD' }, user, 'dm')).toMatch(
        /^🗑️ Stopped watching AMD \((5m, 1d|1d, 5m)\)\.$/,
      );
      expect((await itemsOf(user)).map((watch) => watch.symbol)).toEqual(['BAC']);
      expect(await ask('unwatch', { symbol: 'all' }, user)).toBe(
        '🗑️ Cleared your watchlist (1 watch removed).',
      );
      expect(await itemsOf(user)).toEqual([]);
    });

    it('/help lists every command', async () => {
      const text = await ask('help', {}, newUser(), 'dm');
      for (const name of ['/watch', '/unwatch', '/watchlist', '/help']) expect(text).toContain(`\`${name}`);
      expect(text).toContain(`at most ${MAX_WATCHES}`);
    });
  });

  describe('bad input', () => {
    it.each([
      ['a bad symbol', { symbol: 'BAC 3%' }, '"BAC 3%" is not a stock symbol'],
      [
        'a zero threshold',
        { symbol: 'BAC', threshold: 0 },
        '"0" is out of range. Use a threshold from 0.1% to 50%',
      ],
      [
        'a negative threshold',
        { symbol: 'BAC', threshold: -3 },
        '"-3" is out of range: the threshold is a size',
      ],
      ['an absurd threshold', { symbol: 'BAC', threshold: 5000 }, '"5000" is out of range'],
      [
        'an unknown window',
        { symbol: 'BAC', window: '2h' },
        '"2h" is not a window. Use one of 1m, 5m, 15m, 1h, 1d',
      ],
    ])('rejects %s with a specific ephemeral error and writes nothing', async (_, options, expected) => {
      const user = newUser();
      await ask('watch', { symbol: 'MSFT' }, user);
      const before = await itemsOf(user);

      const text = await ask('watch', options, user);

      expect(text).toContain(`⚠️ ${expected}`);
      expect(text).toContain('`/watch symbol:BAC threshold:3 window:15m');
      expect(await itemsOf(user)).toEqual(before);
    });

    it('rejects a watch beyond a full watchlist and writes nothing', async () => {
      const user = newUser();
      for (const window of ['1m', '5m', '15m', '1h', '1d'])
        await ask('watch', { symbol: 'AAPL', window }, user);
      const text = await ask('watch', { symbol: 'AMZN' }, user);
      expect(text).toContain(`⚠️ Your watchlist is full (${MAX_WATCHES} watches), so AMZN 15m was not added.`);
      expect(await itemsOf(user)).toHaveLength(MAX_WATCHES);
      expect((await itemsOf(user)).some((watch) => watch.symbol === 'AMZN')).toBe(false);
    });

    it('rejects unwatching a symbol that is not watched and removes nothing', async () => {
      const user = newUser();
      await ask('watch', { symbol: 'BAC' }, user);
      const text = await ask('unwatch', { symbol: 'MSFT' }, user);
      expect(text).toContain('⚠️ You are not watching MSFT. Type `/watchlist` to see what you watch.');
      expect(await itemsOf(user)).toHaveLength(1);
    });
  });

  describe('identity', () => {
    it('a second user can neither see nor change the first user’s watchlist', async () => {
      const alice = newUser();
      const bob = newUser();
      await ask('watch', { symbol: 'BAC', threshold: 2 }, alice);
      const aliceBefore = await itemsOf(alice);

      expect(await ask('watchlist', {}, bob)).toContain('Your watchlist is empty');
      expect(await ask('unwatch', { symbol: 'BAC' }, bob)).toContain('You are not watching BAC');
      expect(await ask('unwatch', { symbol: 'all' }, bob, 'dm')).toContain('Your watchlist is already empty');
      await ask('watch', { symbol: 'BAC', threshold: 9 }, bob);

      expect(await itemsOf(alice)).toEqual(aliceBefore);
      expect(await itemsOf(bob)).toEqual([
        expect.objectContaining({ userKey: `discord:${bob.id}`, thresholdPct: 9 }),
      ]);
      const bobSuggestions = discord.sendInteraction(
        autocomplete('unwatch', { symbol: '' }, 'symbol', bob, GUILD),
      );
      const answered = await discord.waitForAnswer(bobSuggestions.interaction.id);
      expect(answered.callbacks[0]?.data?.choices).toEqual([{ name: 'BAC', value: 'BAC' }]);
    });
  });

  describe('autocomplete', () => {
    it('suggests symbols known in Quotes for /watch, keeping what was typed', async () => {
      const exchange = discord.sendInteraction(
        autocomplete('watch', { symbol: 'am' }, 'symbol', newUser(), GUILD),
      );
      const answered = await discord.waitForAnswer(exchange.interaction.id);
      expect(answered.callbacks).toEqual([
        {
          type: 8,
          accepted: true,
          data: {
            choices: [
              { name: 'AM', value: 'AM' },
              { name: 'AMD', value: 'AMD' },
              { name: 'AMZN', value: 'AMZN' },
            ],
          },
        },
      ]);
    });
  });

  describe('slow storage', () => {
    it('defers within the 3 s rule when storage is slow, then edits the answer in', async () => {
      const user = newUser();
      watches.latencyMs = 2_000;
      try {
        const exchange = await send('watch', { symbol: 'BAC', threshold: 3 }, user);
        expect(exchange.callbacks).toEqual([{ type: 5, accepted: true, data: { flags: EPHEMERAL } }]);
        expect(answerOf(exchange)).toContain('✅ Watching BAC 15m');
        // The defer reached Discord before storage had even finished the first of its two calls.
        const deferredAt =
          discord.http.callsTo('POST', /\/callback$/).at(-1)?.receivedAt ?? Number.POSITIVE_INFINITY;
        const firstStorageDone = watches.completed.at(-2)?.at ?? 0;
        expect(deferredAt).toBeLessThan(firstStorageDone);
      } finally {
        watches.latencyMs = 0;
      }
      expect(await itemsOf(user)).toHaveLength(1);
    }, 15_000);

    it('offers the typed symbol at once when suggestions would be too slow for the 3 s rule', async () => {
      const user = newUser();
      await ask('watch', { symbol: 'AMD' }, user);
      watches.latencyMs = 2_500;
      try {
        const exchange = discord.sendInteraction(
          autocomplete('unwatch', { symbol: 'am' }, 'symbol', user, GUILD),
        );
        const answered = await discord.waitForAnswer(exchange.interaction.id);
        expect(answered.callbacks).toEqual([
          { type: 8, accepted: true, data: { choices: [{ name: 'AM', value: 'AM' }] } },
        ]);
      } finally {
        watches.latencyMs = 0;
      }
    }, 15_000);

    it('(control) a bot that waits for slow storage before answering misses the 3 s rule', async () => {
      const lateBot = newBot(60_000);
      await bot.stop();
      await lateBot.start();
      bot = lateBot;
      watches.latencyMs = 2_000;
      try {
        const exchange = discord.sendInteraction(slashCommand('watch', { symbol: 'BAC' }, newUser(), GUILD));
        const late = await waitUntil(
          () => (exchange.callbacks.length > 0 ? exchange.callbacks[0] : undefined),
          'the late reply',
          10_000,
        );
        expect(late).toMatchObject({ type: 4, accepted: false });
      } finally {
        watches.latencyMs = 0;
        await bot.stop();
        bot = newBot();
        await bot.start();
      }
    }, 20_000);
  });

  describe('gateway disconnects', () => {
    async function stillAnswers(): Promise<void> {
      const user = newUser();
      expect(await ask('watch', { symbol: 'BAC' }, user)).toContain('✅ Watching BAC 15m');
      expect(await itemsOf(user)).toHaveLength(1);
    }

    it('resumes after op 7 (reconnect) and keeps answering', async () => {
      const { resumes } = discord.gateway.stats;
      discord.gateway.requestReconnect();
      await waitUntil(
        () => (discord.gateway.stats.resumes > resumes && discord.gateway.ready ? true : undefined),
        'a resumed session',
      );
      await stillAnswers();
    });

    it('identifies afresh after op 9 (invalid session, not resumable) and keeps answering', async () => {
      const { identifies } = discord.gateway.stats;
      discord.gateway.invalidateSession(false);
      await waitUntil(
        () => (discord.gateway.stats.identifies > identifies && discord.gateway.ready ? true : undefined),
        'a new session',
        15_000,
      );
      await stillAnswers();
    }, 20_000);

    it('reconnects after the connection drops and keeps answering', async () => {
      const { connections } = discord.gateway.stats;
      discord.gateway.dropConnection();
      await waitUntil(
        () => (discord.gateway.stats.connections > connections && discord.gateway.ready ? true : undefined),
        'a new connection',
        15_000,
      );
      await stillAnswers();
    }, 20_000);
  });

  describe('registration', () => {
    it('installs the commands with typed options and choices, in a guild or globally', async () => {
      const rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken(FAKE_DISCORD_TOKEN);
      const inGuild = await registerDiscordCommands(rest, '500000000000000009');
      const global = await registerDiscordCommands(rest);

      expect(inGuild.commands.map((command) => command.name)).toEqual([
        'watch',
        'unwatch',
        'watchlist',
        'help',
      ]);
      expect(discord.registeredCommands.get('500000000000000009')).toHaveLength(4);
      expect(global.guildId).toBeUndefined();
      const sent = discord.http.callsTo('PUT', /\/applications\/\d+\/commands$/).at(-1)?.body;
      expect(sent).toEqual(JSON.parse(JSON.stringify(DISCORD_COMMANDS)));
      const watch = DISCORD_COMMANDS[0];
      expect(watch?.options?.map((option) => option.name)).toEqual([
        'symbol',
        'threshold',
        'window',
        'direction',
        'hours',
      ]);
      expect(watch?.contexts).toEqual([0, 1]);
    });

    it('a wrong token is refused by the fake (so the tests above really authenticate)', async () => {
      const rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken('wrong-token');
      await expect(registerDiscordCommands(rest)).rejects.toThrow(/401|Unauthorized/);
    });
  });
});
