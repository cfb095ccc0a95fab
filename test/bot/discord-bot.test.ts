import type { APIUser } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandCore } from '../../bot/core/command-core.js';
import { DiscordBot } from '../../bot/discord/discord-bot.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { discordUser, slashCommand } from '../fakes/discord-interactions.js';
import { FAKE_DISCORD_TOKEN, FakeDiscord } from '../fakes/fake-discord.js';
import { SlowWatchRepository } from '../fakes/slow-watch-repository.js';
import { startTestAws, type TestAws } from '../helpers/embedded-aws.js';

const GUILD = { guildId: '500000000000000001' } as const;

describe('Discord bot through discord.js against a fake Discord', () => {
  let aws: TestAws;
  let discord: FakeDiscord;
  let repository: DynamoWatchRepository;
  let watches: SlowWatchRepository;
  let bot: DiscordBot;
  let userSeq = 0;

  beforeAll(async () => {
    aws = await startTestAws();
    discord = await FakeDiscord.start();
    repository = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
    watches = new SlowWatchRepository(repository);
    bot = new DiscordBot({
      token: FAKE_DISCORD_TOKEN,
      core: createCommandCore({ watches, maxWatchesPerUser: 5 }),
      readyTimeoutMs: 10_000,
      clientOptions: {
        rest: { api: discord.apiUrl, retries: 0, timeout: 5_000 },
        ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
      },
    });
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

  async function command(
    name: string,
    options: Record<string, string | number | undefined>,
    user: APIUser,
    place: typeof GUILD | 'dm' = GUILD,
  ): Promise<string> {
    const exchange = discord.sendInteraction(slashCommand(name, options, user, place));
    const answered = await discord.waitForAnswer(exchange.interaction.id);
    const reply = answered.callbacks.find((callback) => callback.type === 4);
    const content = (answered.edits[0]?.content ?? reply?.data?.content) as string | undefined;
    return content ?? '';
  }

  it('watches in a guild and lands the Watches item under discord:<id>', async () => {
    const user = newUser();
    const text = await command('watch', { symbol: 'bac', threshold: 2.5, window: '5m' }, user);
    expect(text).toContain('Watching BAC 5m');
    expect(await repository.listByUser(`discord:${user.id}`)).toMatchObject([
      { symbol: 'BAC', thresholdPct: 2.5, window: '5m', direction: 'both', hours: 'all' },
    ]);
  });
});
