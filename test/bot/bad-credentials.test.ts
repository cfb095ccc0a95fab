import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandCore } from '../../bot/core/command-core.js';
import { DiscordBot } from '../../bot/discord/discord-bot.js';
import { SlackBot } from '../../bot/slack/slack-bot.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { FakeDiscord } from '../fakes/fake-discord.js';
import { FAKE_SLACK_BOT_TOKEN, FakeSlack } from '../fakes/fake-slack.js';
import { startTestAws, type TestAws } from '../helpers/embedded-aws.js';

async function settlesWithin<T>(
  promise: Promise<T>,
  ms: number,
): Promise<PromiseSettledResult<T> | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  const settled = promise.then(
    (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
    (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
  );
  try {
    return await Promise.race([settled, pending]);
  } finally {
    clearTimeout(timer);
  }
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
      const outcome = await settlesWithin(bot.start(), 15_000);
      expect(outcome).toMatchObject({ status: 'rejected' });
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/token|401|Authentication/i);
    } finally {
      await bot.stop();
    }
  }, 20_000);

  it('Slack Socket Mode: a refused app token rejects start()', async () => {
    const bot = new SlackBot({
      botToken: FAKE_SLACK_BOT_TOKEN,
      connection: { kind: 'socket', appToken: 'xapp-wrong' },
      core: core(),
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    });
    try {
      const outcome = await settlesWithin(bot.start(), 15_000);
      expect(outcome).toMatchObject({ status: 'rejected' });
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/invalid_auth/);
    } finally {
      await bot.stop().catch(() => undefined);
    }
  }, 20_000);

  it('Slack: a refused bot token rejects start()', async () => {
    const bot = new SlackBot({
      botToken: 'xoxb-wrong',
      connection: { kind: 'http', signingSecret: 'secret', port: 0, host: '127.0.0.1' },
      core: core(),
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    });
    try {
      const outcome = await settlesWithin(bot.start(), 15_000);
      expect(outcome).toMatchObject({ status: 'rejected' });
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/invalid_auth/);
    } finally {
      await bot.stop().catch(() => undefined);
    }
  }, 20_000);
});
