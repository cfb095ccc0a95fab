import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, DiscordHarness, EPHEMERAL, GUILD } from '../fakes/discord-harness.js';
import { autocomplete, slashCommand } from '../fakes/discord-interactions.js';
import { waitUntil } from '../fakes/wait.js';

describe('Discord bot under slow storage and gateway disconnects', () => {
  let h: DiscordHarness;

  beforeAll(async () => {
    h = await DiscordHarness.start(50);
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  describe('slow storage', () => {
    it('defers within the 3 s rule when storage is slow, then edits the answer in', async () => {
      const user = h.newUser();
      h.watches.latencyMs = 2_000;
      try {
        const exchange = await h.send('watch', { symbol: 'BAC', threshold: 3 }, user);
        expect(exchange.callbacks).toEqual([{ type: 5, accepted: true, data: { flags: EPHEMERAL } }]);
        expect(answerOf(exchange)).toContain('✅ Watching BAC 15m');
        // The defer reached Discord before storage had finished its one write (an atomic save).
        const deferredAt =
          h.discord.http.callsTo('POST', /\/callback$/).at(-1)?.receivedAt ?? Number.POSITIVE_INFINITY;
        const firstStorageDone = h.watches.completed.at(-1)?.at ?? 0;
        expect(deferredAt).toBeLessThan(firstStorageDone);
      } finally {
        h.watches.latencyMs = 0;
      }
      expect(await h.itemsOf(user)).toHaveLength(1);
    }, 15_000);

    it('offers the typed symbol at once when suggestions would be too slow for the 3 s rule', async () => {
      const user = h.newUser();
      await h.ask('watch', { symbol: 'AMD' }, user);
      h.watches.latencyMs = 2_500;
      try {
        const exchange = h.discord.sendInteraction(
          autocomplete('unwatch', { symbol: 'am' }, 'symbol', user, GUILD),
        );
        const answered = await h.discord.waitForAnswer(exchange.interaction.id);
        expect(answered.callbacks).toEqual([
          { type: 8, accepted: true, data: { choices: [{ name: 'AM', value: 'AM' }] } },
        ]);
      } finally {
        h.watches.latencyMs = 0;
      }
    }, 15_000);

    it('(control) a bot that waits for slow storage before answering misses the 3 s rule', async () => {
      await h.swapBot(h.newBot(60_000));
      // /watch is one storage call (an atomic save): 3.5 s of latency puts it past the 3 s rule.
      h.watches.latencyMs = 3_500;
      try {
        const exchange = h.discord.sendInteraction(
          slashCommand('watch', { symbol: 'BAC' }, h.newUser(), GUILD),
        );
        const late = await waitUntil(
          () => (exchange.callbacks.length > 0 ? exchange.callbacks[0] : undefined),
          'the late reply',
          10_000,
        );
        expect(late).toMatchObject({ type: 4, accepted: false });
      } finally {
        h.watches.latencyMs = 0;
        await h.swapBot(h.newBot());
      }
    }, 20_000);
  });

  describe('gateway disconnects', () => {
    async function stillAnswers(): Promise<void> {
      const user = h.newUser();
      expect(await h.ask('watch', { symbol: 'BAC' }, user)).toContain('✅ Watching BAC 15m');
      expect(await h.itemsOf(user)).toHaveLength(1);
    }

    it('resumes after op 7 (reconnect) and keeps answering', async () => {
      const { resumes } = h.discord.gateway.stats;
      h.discord.gateway.requestReconnect();
      await waitUntil(
        () => (h.discord.gateway.stats.resumes > resumes && h.discord.gateway.ready ? true : undefined),
        'a resumed session',
      );
      await stillAnswers();
    });

    it('identifies afresh after op 9 (invalid session, not resumable) and keeps answering', async () => {
      const { identifies } = h.discord.gateway.stats;
      h.discord.gateway.invalidateSession(false);
      await waitUntil(
        () => (h.discord.gateway.stats.identifies > identifies && h.discord.gateway.ready ? true : undefined),
        'a new session',
        15_000,
      );
      await stillAnswers();
    }, 20_000);

    it('reconnects after the connection drops and keeps answering', async () => {
      const { connections } = h.discord.gateway.stats;
      h.discord.gateway.dropConnection();
      await waitUntil(
        () =>
          h.discord.gateway.stats.connections > connections && h.discord.gateway.ready ? true : undefined,
        'a new connection',
        15_000,
      );
      await stillAnswers();
    }, 20_000);
  });
});
