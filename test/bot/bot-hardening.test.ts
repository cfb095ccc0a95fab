import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandCore } from '../../bot/core/command-core.js';
import { SLACK_EVENTS_PATH, SlackBot } from '../../bot/slack/slack-bot.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import type { Watch } from '../../shared/domain/watch.js';
import { WINDOWS } from '../../shared/domain/window.js';
import { DiscordHarness, GUILD, quote } from '../fakes/discord-harness.js';
import { autocomplete } from '../fakes/discord-interactions.js';
import { FAKE_SLACK_BOT_TOKEN, FAKE_SLACK_TEAM_ID, FakeSlack } from '../fakes/fake-slack.js';
import {
  FAKE_SLACK_SIGNING_SECRET,
  postSigned,
  slackSignature,
  slashCommandPayload,
} from '../fakes/slack-requests.js';
import type { TestAws } from '../helpers/embedded-aws.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const LARGE_LIMIT = 1_000;

/** `count` watches of one user, written straight to the table 25 at a time (seeding, not under test). */
async function seedWatches(aws: TestAws, userKey: string, count: number): Promise<void> {
  const items = Array.from({ length: count }, (_, i) => {
    const symbol = `S${String(Math.floor(i / WINDOWS.length)).padStart(4, '0')}`;
    const window = WINDOWS[i % WINDOWS.length] as Watch['window'];
    return {
      userKey,
      symbol,
      window,
      thresholdPct: 3,
      direction: 'both',
      hours: 'all',
      createdAt: 1,
      watchKey: `${symbol}#${window}`,
      symbolWatchKey: `${userKey}#${window}`,
    };
  });
  for (let start = 0; start < items.length; start += 25) {
    await aws.clients.dynamo.send(
      new BatchWriteCommand({
        RequestItems: {
          [aws.names.watchesTable]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
}

describe('Slack bot hardening (HTTP, through Bolt)', () => {
  const aws = useTestAws();
  let slack: FakeSlack;
  let repository: DynamoWatchRepository;
  const bots: SlackBot[] = [];
  let userSeq = 0;

  beforeAll(async () => {
    slack = await FakeSlack.start();
    repository = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
  });
  afterAll(async () => {
    for (const bot of bots) await bot.stop();
    await slack?.stop();
  });

  async function startBot(maxWatchesPerUser: number): Promise<string> {
    const bot = new SlackBot({
      botToken: FAKE_SLACK_BOT_TOKEN,
      connection: { kind: 'http', signingSecret: FAKE_SLACK_SIGNING_SECRET, port: 0, host: '127.0.0.1' },
      core: createCommandCore({ watches: repository, maxWatchesPerUser }),
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    });
    bots.push(bot);
    const { port } = await bot.start();
    return `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`;
  }

  function newUser(): string {
    userSeq += 1;
    return `UHARD${String(userSeq).padStart(5, '0')}`;
  }

  function command(text: string, userId: string, commandName = '/watch') {
    const response = slack.newResponseUrl();
    return {
      response,
      payload: slashCommandPayload({ command: commandName, text, userId, responseUrl: response.url }),
    };
  }

  describe('signed requests', () => {
    let url = '';
    beforeAll(async () => {
      url = await startBot(50);
    });

    it('refuses a correctly signed request stamped 7 days ahead, and writes nothing', async () => {
      const user = newUser();
      const { payload } = command('BAC', user);

      const posted = await postSigned(url, payload, {
        timestamp: Math.floor(Date.now() / 1000) + 7 * 86_400,
      });

      expect(posted.status).toBe(401);
      expect(await repository.listByUser(`slack:${FAKE_SLACK_TEAM_ID}:${user}`)).toEqual([]);
    });

    it('refuses a request stamped 6 minutes ago', async () => {
      const { payload } = command('BAC', newUser());
      const posted = await postSigned(url, payload, { timestamp: Math.floor(Date.now() / 1000) - 360 });
      expect(posted.status).toBe(401);
    });

    it('answers a captured request once and refuses its replay within the window', async () => {
      const user = newUser();
      const { response, payload } = command('IBM', user);
      const rawBody = new URLSearchParams(payload).toString();
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = slackSignature(FAKE_SLACK_SIGNING_SECRET, timestamp, rawBody);

      const first = await postSigned(url, payload, { timestamp, signature });
      await slack.waitForResponse(response.id);
      await repository.remove(`slack:${FAKE_SLACK_TEAM_ID}:${user}`, 'IBM');
      const replay = await postSigned(url, payload, { timestamp, signature });

      expect(first.status).toBe(200);
      expect(replay.status).toBe(401);
      expect(slack.responses.get(response.id)).toHaveLength(1);
      expect(await repository.listByUser(`slack:${FAKE_SLACK_TEAM_ID}:${user}`)).toEqual([]);
    });

    it('refuses a user id that is not a Slack id, writing nothing under any key', async () => {
      const { response, payload } = command('BAC', 'U1:EVIL');

      await postSigned(url, payload);
      const answer = await slack.waitForResponse(response.id);

      expect(String(answer.text)).toMatch(/could not tell who sent/);
      expect(await repository.listByUser(`slack:${FAKE_SLACK_TEAM_ID}:U1:EVIL`)).toEqual([]);
      expect(await repository.listByUser(`slack:${FAKE_SLACK_TEAM_ID}:U1`)).toEqual([]);
    });
  });

  it('stores at most the limit when 40 /watch commands of a user with 45 watches arrive at once', async () => {
    const url = await startBot(50);
    const user = newUser();
    const userKey = `slack:${FAKE_SLACK_TEAM_ID}:${user}`;
    await seedWatches(aws, userKey, 45);
    const symbols = Array.from({ length: 40 }, (_, i) => `C${String(i).padStart(3, '0')}`);

    const sent = symbols.map((symbol) => command(symbol, user));
    await Promise.all(sent.map(({ payload }) => postSigned(url, payload)));
    const answers = await Promise.all(sent.map(({ response }) => slack.waitForResponse(response.id)));

    expect(await repository.listByUser(userKey)).toHaveLength(50);
    expect(answers.filter((answer) => String(answer.text).startsWith('✅ Watching'))).toHaveLength(5);
    expect(answers.filter((answer) => String(answer.text).includes('Your watchlist is full'))).toHaveLength(
      35,
    );
  });

  it('answers /watchlist at a limit of 1,000 a page at a time, within 40,000 characters', async () => {
    const url = await startBot(LARGE_LIMIT);
    const user = newUser();
    await seedWatches(aws, `slack:${FAKE_SLACK_TEAM_ID}:${user}`, LARGE_LIMIT);

    const first = command('', user, '/watchlist');
    await postSigned(url, first.payload);
    const firstText = String((await slack.waitForResponse(first.response.id)).text);
    const last = command('20', user, '/watchlist');
    await postSigned(url, last.payload);
    const lastText = String((await slack.waitForResponse(last.response.id)).text);

    expect(firstText.length).toBeLessThanOrEqual(40_000);
    expect(firstText).toMatch(/^📋 Your watchlist \(1000 of 1000\), page 1 of 20:/);
    expect(firstText).toContain('Type /watchlist 2 for the next page.');
    expect(lastText).toMatch(/page 20 of 20:/);
    expect(lastText).toContain('S0199');
  });
});

describe('Discord bot hardening (through discord.js)', () => {
  let h: DiscordHarness;

  beforeAll(async () => {
    h = await DiscordHarness.start(LARGE_LIMIT);
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('answers /watchlist at a limit of 1,000 in at most two messages of 2,000 characters', async () => {
    const user = h.newUser();
    await seedWatches(h.aws, `discord:${user.id}`, LARGE_LIMIT);

    const exchange = await h.send('watchlist', {}, user);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const first = exchange.callbacks[0]?.type === 4 ? exchange.callbacks[0]?.data : exchange.edits[0];
    const messages = [first, ...exchange.followUps].map((message) => String(message?.content));
    expect(messages.length).toBeLessThanOrEqual(2);
    expect(messages.every((content) => content.length <= 2_000)).toBe(true);
    expect(messages[0]).toMatch(/page 1 of 20/);
    expect(messages.join('\n')).toContain('`/watchlist page:2`');
  });

  it('suggests symbols for /watch from the symbol directory, reading no Quotes scan', async () => {
    const commands: string[] = [];
    h.aws.clients.dynamo.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    // Two days of minute bars for one symbol: what a scan used to wade through.
    await h.quotes.saveQuotes([quote('AMAT', 210)]);
    const t0 = Date.UTC(2024, 0, 2, 14, 30);
    await h.quotes.saveMinuteBars(
      Array.from({ length: 2_000 }, (_, i) => ({
        symbol: 'AMAT',
        minute: t0 + i * 60_000,
        open: 210,
        high: 210,
        low: 210,
        close: 210,
        volume: 1,
        openTs: t0 + i * 60_000,
        highTs: t0 + i * 60_000,
        lowTs: t0 + i * 60_000,
        closeTs: t0 + i * 60_000 + 59_000,
      })),
    );
    commands.length = 0;

    const exchange = h.discord.sendInteraction(
      autocomplete('watch', { symbol: 'ama' }, 'symbol', h.newUser(), GUILD),
    );
    const answered = await h.discord.waitForAnswer(exchange.interaction.id);

    expect(answered.callbacks[0]?.data).toEqual({
      choices: [
        { name: 'AMA', value: 'AMA' },
        { name: 'AMAT', value: 'AMAT' },
      ],
    });
    expect(commands).not.toContain('ScanCommand');
    expect(commands.filter((name) => name === 'GetCommand').length).toBeLessThanOrEqual(1);
  });
});
