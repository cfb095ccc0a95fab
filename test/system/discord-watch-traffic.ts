import type { CommandCore } from '../../bot/core/command-core.js';
import { DiscordBot } from '../../bot/discord/discord-bot.js';
import type { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import type { Watch } from '../../shared/domain/watch.js';
import { discordUser, slashCommand } from '../fakes/discord-interactions.js';
import { FAKE_DISCORD_TOKEN, type FakeDiscord } from '../fakes/fake-discord.js';

const GUILD = { guildId: '500000000000000001' };

export interface WatchTrafficResult {
  /** Commands sent while the gateway was down, answered only when sent again after the reconnect. */
  readonly resent: number;
  readonly gatewayDrops: number;
}

/**
 * Adds Discord users' watches the way users do, with `/watch` through the real discord.js bot and the
 * fake gateway, and drops the gateway connection halfway through. Commands dispatched while the bot is
 * away get no answer; like a user, the traffic sends them again once the bot is back.
 */
export async function watchThroughDiscord(
  discord: FakeDiscord,
  core: CommandCore,
  wanted: readonly Watch[],
  dropGateway: boolean,
): Promise<WatchTrafficResult> {
  const bot = new DiscordBot({
    token: FAKE_DISCORD_TOKEN,
    core,
    readyTimeoutMs: 10_000,
    clientOptions: {
      rest: { api: discord.apiUrl, retries: 0, timeout: 5_000 },
      ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
    },
  });
  await bot.start();
  let resent = 0;
  try {
    const unanswered: Watch[] = [];
    const half = Math.floor(wanted.length / 2);
    for (const [index, watch] of wanted.entries()) {
      if (dropGateway && index === half) discord.gateway.dropConnection();
      if (!(await sendWatch(discord, watch, 1_500))) unanswered.push(watch);
    }
    for (const watch of unanswered) {
      resent += 1;
      if (!(await sendWatch(discord, watch, 10_000))) {
        throw new Error(`/watch for ${watch.userKey} ${watch.symbol} got no answer after the reconnect`);
      }
    }
  } finally {
    await bot.stop();
  }
  return { resent, gatewayDrops: dropGateway ? 1 : 0 };
}

/**
 * One /watch; false when it got no answer in time. While the bot is disconnected the command never
 * reaches it (Discord tells the user the application did not respond), which also counts as no answer.
 */
async function sendWatch(discord: FakeDiscord, watch: Watch, timeoutMs: number): Promise<boolean> {
  const user = discordUser(watch.userKey.replace(/^discord:/, ''));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await dispatchWatch(discord, watch, user, deadline - Date.now());
    } catch (error) {
      if (!String(error).includes('no ready gateway session') || Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (timeoutMs < 5_000) return false;
    }
  }
}

async function dispatchWatch(
  discord: FakeDiscord,
  watch: Watch,
  user: ReturnType<typeof discordUser>,
  timeoutMs: number,
): Promise<boolean> {
  const exchange = discord.sendInteraction(
    slashCommand(
      'watch',
      {
        symbol: watch.symbol,
        threshold: watch.thresholdPct,
        window: watch.window,
        direction: watch.direction,
        hours: watch.hours,
      },
      user,
      GUILD,
    ),
  );
  try {
    await discord.waitForAnswer(exchange.interaction.id, timeoutMs);
    return true;
  } catch {
    return false;
  }
}

/** Throws unless each of these users has exactly their wanted watches stored (no more, no fewer). */
export async function checkWatches(
  watches: DynamoWatchRepository,
  wanted: readonly Watch[],
  of: readonly Watch[],
): Promise<void> {
  for (const userKey of new Set(of.map((watch) => watch.userKey))) {
    const stored = await watches.listByUser(userKey);
    const mine = wanted.filter((watch) => watch.userKey === userKey);
    if (stored.length !== mine.length) {
      throw new Error(`${userKey} has ${stored.length} watches stored, ${mine.length} wanted`);
    }
  }
}
