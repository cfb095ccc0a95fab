import { REST } from '@discordjs/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_COMMANDS } from '../../bot/discord/discord-commands.js';
import { registerDiscordCommands } from '../../bot/discord/register-discord-commands.js';
import { DiscordHarness, GUILD } from '../fakes/discord-harness.js';
import { autocomplete } from '../fakes/discord-interactions.js';
import { FAKE_DISCORD_TOKEN } from '../fakes/fake-discord.js';

const MAX_WATCHES = 5;

describe('Discord commands through discord.js against a fake Discord', () => {
  let h: DiscordHarness;

  beforeAll(async () => {
    h = await DiscordHarness.start(MAX_WATCHES);
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  describe('commands in a guild and in DMs', () => {
    it('/watch in a guild lands the Watches item under discord:<id> and replies ephemerally', async () => {
      const user = h.newUser();
      const text = await h.ask(
        'watch',
        { symbol: 'bac', threshold: 2.5, window: '5m', direction: 'down' },
        user,
      );
      expect(text).toBe(
        '✅ Watching BAC 5m: alert when it falls 2.5% within 5 min, at any hour the market trades.',
      );
      expect(await h.itemsOf(user)).toEqual([
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
      const user = h.newUser();
      await h.ask('watch', { symbol: 'TSLA', threshold: 3, window: '15m' }, user, GUILD);
      const text = await h.ask(
        'watch',
        { symbol: 'TSLA', threshold: 8, window: '1d', hours: 'regular' },
        user,
        'dm',
      );
      expect(text).toContain(
        '✅ Watching TSLA 1d: alert when it rises or falls 8% within 1 day, in regular hours only.',
      );
      expect(text).toContain('no trades of TSLA have been seen yet');
      const items = await h.itemsOf(user);
      expect(items.map((watch) => `${watch.symbol} ${watch.window} ${watch.thresholdPct}`).sort()).toEqual([
        'TSLA 15m 3',
        'TSLA 1d 8',
      ]);
    });

    it('/watch on the same symbol and window updates that watch in place', async () => {
      const user = h.newUser();
      await h.ask('watch', { symbol: 'BAC', threshold: 3, window: '15m' }, user);
      const text = await h.ask(
        'watch',
        { symbol: 'BAC', threshold: 4, window: '15m', direction: 'up' },
        user,
        'dm',
      );
      expect(text).toMatch(/^✅ Updated BAC 15m: alert when it rises 4%/);
      expect(await h.itemsOf(user)).toEqual([
        expect.objectContaining({ symbol: 'BAC', thresholdPct: 4, direction: 'up' }),
      ]);
    });

    it('/watchlist shows each watch with its last price and day change, in a code block', async () => {
      const user = h.newUser();
      await h.ask('watch', { symbol: 'BAC', window: '1h' }, user);
      await h.ask('watch', { symbol: 'NVDA', threshold: 5 }, user);
      const text = await h.ask('watchlist', {}, user, 'dm');
      const lines = text.split('\n');
      expect(lines[0]).toBe(`📋 Your watchlist (2 of ${MAX_WATCHES}):`);
      expect(lines[1]).toBe('```');
      expect(lines[2]).toMatch(/^BAC\s+3%\s+1h\s+both\s+all hours\s+33\.12 \(-1\.50% today\)$/);
      expect(lines[3]).toMatch(/^NVDA\s+5%\s+15m\s+both\s+all hours$/);
      expect(lines[4]).toBe('```');
    });

    it('/unwatch removes one window, then the rest of the symbol, and symbol:all clears the list', async () => {
      const user = h.newUser();
      for (const window of ['5m', '1h', '1d']) await h.ask('watch', { symbol: 'AMD', window }, user);
      await h.ask('watch', { symbol: 'BAC' }, user);

      expect(await h.ask('unwatch', { symbol: 'amd', window: '1h' }, user)).toBe(
        '🗑️ Stopped watching AMD (1h).',
      );
      expect((await h.itemsOf(user)).map((watch) => `${watch.symbol}#${watch.window}`).sort()).toEqual([
        'AMD#1d',
        'AMD#5m',
        'BAC#15m',
      ]);
      expect(await h.ask('unwatch', { symbol: 'AMD' }, user, 'dm')).toMatch(
        /^🗑️ Stopped watching AMD \((5m, 1d|1d, 5m)\)\.$/,
      );
      expect((await h.itemsOf(user)).map((watch) => watch.symbol)).toEqual(['BAC']);
      expect(await h.ask('unwatch', { symbol: 'all' }, user)).toBe(
        '🗑️ Cleared your watchlist (1 watch removed).',
      );
      expect(await h.itemsOf(user)).toEqual([]);
    });

    it('/help lists every command', async () => {
      const text = await h.ask('help', {}, h.newUser(), 'dm');
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
      const user = h.newUser();
      await h.ask('watch', { symbol: 'MSFT' }, user);
      const before = await h.itemsOf(user);

      const text = await h.ask('watch', options, user);

      expect(text).toContain(`⚠️ ${expected}`);
      expect(text).toContain('`/watch symbol:BAC threshold:3 window:15m');
      expect(await h.itemsOf(user)).toEqual(before);
    });

    it('rejects a watch beyond a full watchlist and writes nothing', async () => {
      const user = h.newUser();
      for (const window of ['1m', '5m', '15m', '1h', '1d'])
        await h.ask('watch', { symbol: 'AAPL', window }, user);
      const text = await h.ask('watch', { symbol: 'AMZN' }, user);
      expect(text).toContain(`⚠️ Your watchlist is full (${MAX_WATCHES} watches), so AMZN 15m was not added.`);
      expect(await h.itemsOf(user)).toHaveLength(MAX_WATCHES);
      expect((await h.itemsOf(user)).some((watch) => watch.symbol === 'AMZN')).toBe(false);
    });

    it('rejects unwatching a symbol that is not watched and removes nothing', async () => {
      const user = h.newUser();
      await h.ask('watch', { symbol: 'BAC' }, user);
      const text = await h.ask('unwatch', { symbol: 'MSFT' }, user);
      expect(text).toContain('⚠️ You are not watching MSFT. Type `/watchlist` to see what you watch.');
      expect(await h.itemsOf(user)).toHaveLength(1);
    });
  });

  describe('identity', () => {
    it('a second user can neither see nor change the first user’s watchlist', async () => {
      const alice = h.newUser();
      const bob = h.newUser();
      await h.ask('watch', { symbol: 'BAC', threshold: 2 }, alice);
      const aliceBefore = await h.itemsOf(alice);

      expect(await h.ask('watchlist', {}, bob)).toContain('Your watchlist is empty');
      expect(await h.ask('unwatch', { symbol: 'BAC' }, bob)).toContain('You are not watching BAC');
      expect(await h.ask('unwatch', { symbol: 'all' }, bob, 'dm')).toContain(
        'Your watchlist is already empty',
      );
      await h.ask('watch', { symbol: 'BAC', threshold: 9 }, bob);

      expect(await h.itemsOf(alice)).toEqual(aliceBefore);
      expect(await h.itemsOf(bob)).toEqual([
        expect.objectContaining({ userKey: `discord:${bob.id}`, thresholdPct: 9 }),
      ]);
      const bobSuggestions = h.discord.sendInteraction(
        autocomplete('unwatch', { symbol: '' }, 'symbol', bob, GUILD),
      );
      const answered = await h.discord.waitForAnswer(bobSuggestions.interaction.id);
      expect(answered.callbacks[0]?.data?.choices).toEqual([{ name: 'BAC', value: 'BAC' }]);
    });
  });

  describe('autocomplete', () => {
    it('suggests symbols known in Quotes for /watch, keeping what was typed', async () => {
      const exchange = h.discord.sendInteraction(
        autocomplete('watch', { symbol: 'am' }, 'symbol', h.newUser(), GUILD),
      );
      const answered = await h.discord.waitForAnswer(exchange.interaction.id);
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

  describe('registration', () => {
    it('installs the commands with typed options and choices, in a guild or globally', async () => {
      const rest = new REST({ api: h.discord.apiUrl, retries: 0 }).setToken(FAKE_DISCORD_TOKEN);
      const inGuild = await registerDiscordCommands(rest, '500000000000000009');
      const global = await registerDiscordCommands(rest);

      expect(inGuild.commands.map((command) => command.name)).toEqual([
        'watch',
        'unwatch',
        'watchlist',
        'help',
        'digest',
      ]);
      expect(h.discord.registeredCommands.get('500000000000000009')).toHaveLength(5);
      expect(global.guildId).toBeUndefined();
      const sent = h.discord.http.callsTo('PUT', /\/applications\/\d+\/commands$/).at(-1)?.body;
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
      const rest = new REST({ api: h.discord.apiUrl, retries: 0 }).setToken('wrong-token');
      await expect(registerDiscordCommands(rest)).rejects.toThrow(/401|Unauthorized/);
    });
  });
});
