import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandCore } from '../../bot/core/command-core.js';
import { DiscordBot } from '../../bot/discord/discord-bot.js';
import { SlackBot } from '../../bot/slack/slack-bot.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { FakeDiscord } from '../fakes/fake-discord.js';
import { FAKE_SLACK_BOT_TOKEN, FakeSlack } from '../fakes/fake-slack.js';
import { withTimeout } from '../fakes/wait.js';
import { startTestAws, type TestAws } from '../helpers/embedded-aws.js';

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

describe('starting with wrong credentials fails fast with the reason', () => {
  let aws: TestAws;
  let discord: FakeDiscord;
  let slack: FakeSlack;

  beforeAll(async () => {
    aws = await startTestAws();
    discord = await FakeDiscord.start();
    slack = await FakeSlack.start();
  });
  afterAll(async () => {
    await slack?.stop();
    await discord?.stop();
    await aws?.stop();
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
});
