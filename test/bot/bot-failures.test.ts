import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandCore } from '../../bot/core/command-core.js';
import { DiscordBot } from '../../bot/discord/discord-bot.js';
import { SLACK_EVENTS_PATH, SlackBot } from '../../bot/slack/slack-bot.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { discordUser, slashCommand } from '../fakes/discord-interactions.js';
import { FAKE_DISCORD_TOKEN, FakeDiscord } from '../fakes/fake-discord.js';
import { FAKE_SLACK_BOT_TOKEN, FakeSlack } from '../fakes/fake-slack.js';
import { FAKE_SLACK_SIGNING_SECRET, postSigned, slashCommandPayload } from '../fakes/slack-requests.js';
import { withTimeout } from '../fakes/wait.js';
import { useTestAws } from '../helpers/use-test-aws.js';

/** How `start()` ended: the error it rejected with, or `started` (which the tests below treat as a failure). */
async function startError(start: Promise<unknown>): Promise<string> {
  return withTimeout(
    start.then(
      () => 'started',
      (error: unknown) => String(error),
    ),
    15_000,
    'start() to settle',
  );
}

describe('chat bots when credentials or storage fail', () => {
  const aws = useTestAws();
  let discord: FakeDiscord;
  let slack: FakeSlack;

  beforeAll(async () => {
    discord = await FakeDiscord.start();
    slack = await FakeSlack.start();
  });
  afterAll(async () => {
    await slack?.stop();
    await discord?.stop();
  });

  function core() {
    return createCommandCore({
      watches: new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable),
    });
  }

  it('Discord: a refused token rejects start()', async () => {
    const bot = new DiscordBot({
      token: 'wrong-token',
      core: core(),
      readyTimeoutMs: 10_000,
      clientOptions: { rest: { api: discord.apiUrl, retries: 0 } },
    });
    try {
      expect(await startError(bot.start())).toMatch(/token|401|Authentication/i);
    } finally {
      await bot.stop();
    }
  }, 20_000);

  it.each([
    ['a refused app token (Socket Mode)', FAKE_SLACK_BOT_TOKEN, { kind: 'socket', appToken: 'xapp-wrong' }],
    [
      'a refused bot token (HTTP)',
      'xoxb-wrong',
      { kind: 'http', signingSecret: 's', port: 0, host: '127.0.0.1' },
    ],
  ] as const)(
    'Slack: %s rejects start() with invalid_auth',
    async (_, botToken, connection) => {
      const bot = new SlackBot({
        botToken,
        connection,
        core: core(),
        clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
      });
      try {
        expect(await startError(bot.start())).toMatch(/invalid_auth/);
      } finally {
        await bot.stop();
      }
    },
    20_000,
  );

  describe('storage unavailable (a Watches table that does not exist)', () => {
    function brokenCore() {
      return createCommandCore({ watches: new DynamoWatchRepository(aws.clients.dynamo, 'no-such-table') });
    }

    it('Discord answers with an apology that says to try again, ephemerally', async () => {
      const bot = new DiscordBot({
        token: FAKE_DISCORD_TOKEN,
        core: brokenCore(),
        readyTimeoutMs: 10_000,
        clientOptions: { rest: { api: discord.apiUrl, retries: 0 } },
      });
      try {
        await bot.start();
        const exchange = discord.sendInteraction(
          slashCommand('watchlist', {}, discordUser('700000000000000001'), 'dm'),
        );
        const answered = await discord.waitForAnswer(exchange.interaction.id);
        const reply = answered.callbacks[0];
        const content = reply?.type === 4 ? reply.data?.content : answered.edits[0]?.content;
        expect(reply?.data?.flags).toBe(64);
        expect(content).toBe(
          '⚠️ StockAlert could not complete that just now (storage is unavailable). Try again in a minute.',
        );
      } finally {
        await bot.stop();
      }
    }, 20_000);

    it('Slack answers with the same apology, ephemerally', async () => {
      const bot = new SlackBot({
        botToken: FAKE_SLACK_BOT_TOKEN,
        connection: { kind: 'http', signingSecret: FAKE_SLACK_SIGNING_SECRET, port: 0, host: '127.0.0.1' },
        core: brokenCore(),
        clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
      });
      try {
        const { port } = await bot.start();
        const { id, url } = slack.newResponseUrl();
        const payload = slashCommandPayload({
          command: '/watch',
          text: 'BAC',
          userId: 'U0BROKEN1',
          responseUrl: url,
        });
        expect((await postSigned(`http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`, payload)).status).toBe(200);
        expect(await slack.waitForResponse(id)).toMatchObject({
          response_type: 'ephemeral',
          text: '⚠️ StockAlert could not complete that just now (storage is unavailable). Try again in a minute.',
        });
      } finally {
        await bot.stop();
      }
    }, 20_000);
  });
});
