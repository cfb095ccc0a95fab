import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandCore } from '../../bot/core/command-core.js';
import { SLACK_EVENTS_PATH, SlackBot } from '../../bot/slack/slack-bot.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import type { QuoteLookup } from '../../shared/ports/quote-lookup.js';
import {
  FAKE_SLACK_APP_TOKEN,
  FAKE_SLACK_BOT_TOKEN,
  FAKE_SLACK_TEAM_ID,
  FakeSlack,
} from '../fakes/fake-slack.js';
import { FAKE_SLACK_SIGNING_SECRET, postSigned, slashCommandPayload } from '../fakes/slack-requests.js';
import { SlowWatchRepository } from '../fakes/slow-watch-repository.js';
import { waitUntil } from '../fakes/wait.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const MAX_WATCHES = 4;
const quotes: QuoteLookup = {
  async lastPrice(symbol) {
    return symbol === 'BAC' ? { price: 33.12, dayChangePct: 0.75 } : undefined;
  },
};

interface Answer {
  /** When Slack had its acknowledgement (HTTP response or Socket Mode ack), epoch ms. */
  readonly ackedAt: number;
  readonly response: Record<string, unknown>;
  readonly text: string;
}

describe.each(['http', 'socket'] as const)('Slack bot through Bolt (%s) against a fake Slack', (mode) => {
  const aws = useTestAws();
  let slack: FakeSlack;
  let repository: DynamoWatchRepository;
  let watches: SlowWatchRepository;
  let bot: SlackBot;
  let eventsUrl = '';
  let userSeq = 0;

  beforeAll(async () => {
    slack = await FakeSlack.start();
    repository = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
    watches = new SlowWatchRepository(repository);
    bot = new SlackBot({
      botToken: FAKE_SLACK_BOT_TOKEN,
      connection:
        mode === 'http'
          ? { kind: 'http', signingSecret: FAKE_SLACK_SIGNING_SECRET, port: 0, host: '127.0.0.1' }
          : // A short ping timeout makes reconnects quick (the client waits that long before each attempt).
            { kind: 'socket', appToken: FAKE_SLACK_APP_TOKEN, pingTimeoutMs: 500 },
      core: createCommandCore({ watches, quotes, maxWatchesPerUser: MAX_WATCHES }),
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, timeout: 5_000 },
    });
    const { port } = await bot.start();
    eventsUrl = `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`;
    if (mode === 'socket')
      await waitUntil(() => (slack.socketConnected ? true : undefined), 'a socket client');
  }, 30_000);
  afterAll(async () => {
    await bot?.stop();
    await slack?.stop();
  });

  function newUser(): string {
    userSeq += 1;
    return `U${mode.toUpperCase()}${String(userSeq).padStart(5, '0')}`;
  }

  async function send(
    command: string,
    text: string,
    userId: string,
    teamId = FAKE_SLACK_TEAM_ID,
  ): Promise<Answer> {
    const { id, url } = slack.newResponseUrl();
    const payload = slashCommandPayload({ command, text, userId, teamId, responseUrl: url });
    let ackedAt: number;
    if (mode === 'http') {
      const posted = await postSigned(eventsUrl, payload);
      expect(posted.status).toBe(200);
      ackedAt = posted.receivedAt;
    } else {
      const envelope = slack.sendEnvelope('slash_commands', payload);
      ackedAt = await waitUntil(() => envelope.ack?.at, 'the envelope ack');
    }
    const response = await slack.waitForResponse(id);
    expect(response.response_type).toBe('ephemeral');
    return { ackedAt, response, text: String(response.text) };
  }

  async function ask(command: string, text: string, userId: string, teamId?: string): Promise<string> {
    return (await send(command, text, userId, teamId)).text;
  }

  function itemsOf(userId: string, teamId = FAKE_SLACK_TEAM_ID) {
    return repository.listByUser(`slack:${teamId}:${userId}`);
  }

  it('/watch lands the Watches item under slack:<team>:<user> and answers ephemerally', async () => {
    const user = newUser();
    expect(await ask('/watch', 'bac 2.5% 5m down regular', user)).toBe(
      '✅ Watching BAC 5m: alert when it falls 2.5% within 5 min, in regular hours only.',
    );
    expect(await itemsOf(user)).toEqual([
      expect.objectContaining({
        userKey: `slack:${FAKE_SLACK_TEAM_ID}:${user}`,
        symbol: 'BAC',
        thresholdPct: 2.5,
        window: '5m',
        direction: 'down',
        hours: 'regular',
      }),
    ]);
  });

  it('/watch again on the same symbol and window updates it; another window adds one; a new symbol gets a note', async () => {
    const user = newUser();
    await ask('/watch', 'BAC 3% 15m', user);
    expect(await ask('/watch', 'BAC 4% 15m up', user)).toMatch(/^✅ Updated BAC 15m: alert when it rises 4%/);
    expect(await ask('/watch', 'QQQZ 8% 1d', user)).toContain('no trades of QQQZ have been seen yet');
    expect((await itemsOf(user)).map((w) => `${w.symbol} ${w.window} ${w.thresholdPct}`).sort()).toEqual([
      'BAC 15m 4',
      'QQQZ 1d 8',
    ]);
  });

  it('/watchlist shows each watch with its last price and day change in a code block', async () => {
    const user = newUser();
    await ask('/watch', 'BAC 1h', user);
    await ask('/watch', 'NVDA 5%', user);
    const lines = (await ask('/watchlist', '', user)).split('\n');
    expect(lines[0]).toBe(`📋 Your watchlist (2 of ${MAX_WATCHES}):`);
    expect(lines[1]).toBe('```');
    expect(lines[2]).toMatch(/^BAC\s+3%\s+1h\s+both\s+all hours\s+33\.12 \(\+0\.75% today\)$/);
    expect(lines[3]).toMatch(/^NVDA\s+5%\s+15m\s+both\s+all hours$/);
    expect(lines[4]).toBe('```');
  });

  it('/unwatch removes one window, a whole symbol, and "all" clears the list', async () => {
    const user = newUser();
    for (const line of ['AMD 5m', 'AMD 1h', 'AMD 1d', 'BAC']) await ask('/watch', line, user);
    expect(await ask('/unwatch', 'AMD 1h', user)).toBe('🗑️ Stopped watching AMD (1h).');
    expect(await itemsOf(user)).toHaveLength(3);
    expect(await ask('/unwatch', 'amd', user)).toMatch(/^🗑️ Stopped watching AMD \((5m, 1d|1d, 5m)\)\.$/);
    expect((await itemsOf(user)).map((w) => w.symbol)).toEqual(['BAC']);
    expect(await ask('/unwatch', 'all', user)).toBe('🗑️ Cleared your watchlist (1 watch removed).');
    expect(await itemsOf(user)).toEqual([]);
  });

  it('/stockalert (Slack’s help) lists every command', async () => {
    const text = await ask('/stockalert', '', newUser());
    for (const name of ['/watch SYMBOL', '/unwatch SYMBOL', '/unwatch all', '/watchlist', '/stockalert']) {
      expect(text).toContain(name);
    }
  });

  it.each([
    ['a bad symbol', '/watch', 'B@C 3%', '"B@C" is not a stock symbol'],
    ['a zero threshold', '/watch', 'BAC 0%', '"0%" is out of range. Use a threshold from 0.1% to 50%'],
    ['a negative threshold', '/watch', 'BAC -3%', '"-3%" is out of range: the threshold is a size'],
    ['an absurd threshold', '/watch', 'BAC 900%', '"900%" is out of range'],
    ['an unknown window', '/watch', 'BAC 3% 2h', '"2h" is not a window. Use one of 1m, 5m, 15m, 1h, 1d'],
    ['unwatching a symbol not watched', '/unwatch', 'TSLA', 'You are not watching TSLA.'],
  ])('rejects %s with a specific error and writes nothing', async (_, command, text, expected) => {
    const user = newUser();
    await ask('/watch', 'MSFT', user);
    const before = await itemsOf(user);
    expect(await ask(command, text, user)).toContain(`⚠️ ${expected}`);
    expect(await itemsOf(user)).toEqual(before);
  });

  it('rejects a watch beyond a full watchlist and writes nothing', async () => {
    const user = newUser();
    for (const window of ['1m', '5m', '15m', '1h']) await ask('/watch', `AAPL ${window}`, user);
    expect(await ask('/watch', 'AMZN', user)).toContain(
      `⚠️ Your watchlist is full (${MAX_WATCHES} watches), so AMZN 15m was not added.`,
    );
    expect((await itemsOf(user)).map((w) => w.symbol)).toEqual(['AAPL', 'AAPL', 'AAPL', 'AAPL']);
  });

  it('a second user — or the same user id in another workspace — can neither see nor change the list', async () => {
    const alice = newUser();
    const bob = newUser();
    await ask('/watch', 'BAC 2%', alice);
    const aliceBefore = await itemsOf(alice);

    expect(await ask('/watchlist', '', bob)).toContain('Your watchlist is empty');
    expect(await ask('/unwatch', 'BAC', bob)).toContain('You are not watching BAC');
    expect(await ask('/unwatch', 'all', bob)).toContain('already empty');
    // Slack user ids are only unique within a workspace: the same id elsewhere is someone else.
    expect(await ask('/unwatch', 'all', alice, 'T0OTHERTEAM')).toContain('already empty');
    await ask('/watch', 'BAC 9%', alice, 'T0OTHERTEAM');

    expect(await itemsOf(alice)).toEqual(aliceBefore);
    expect(await itemsOf(alice, 'T0OTHERTEAM')).toEqual([expect.objectContaining({ thresholdPct: 9 })]);
    expect(await itemsOf(bob)).toEqual([]);
  });

  it('acknowledges within the 3 s rule with 2 s of storage latency, then answers', async () => {
    const user = newUser();
    watches.latencyMs = 2_000;
    try {
      const answer = await send('/watch', 'BAC 3%', user);
      expect(answer.text).toContain('✅ Watching BAC 15m');
      // Slack had its ack before storage finished its one write (an atomic save).
      const firstStorageDone = watches.completed.at(-1)?.at ?? 0;
      expect(answer.ackedAt).toBeLessThan(firstStorageDone);
    } finally {
      watches.latencyMs = 0;
    }
    expect(await itemsOf(user)).toHaveLength(1);
  }, 15_000);

  if (mode === 'http') {
    it.each([
      [
        'a bad signature',
        { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' },
      ],
      ['a signature made with another secret', { secret: 'not-the-signing-secret' }],
      ['a stale timestamp (6 minutes old)', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ])('rejects %s with 401 and writes nothing', async (_, signing) => {
      const user = newUser();
      const { id, url } = slack.newResponseUrl();
      const payload = slashCommandPayload({ command: '/watch', text: 'BAC', userId: user, responseUrl: url });

      const posted = await postSigned(eventsUrl, payload, signing);

      expect(posted.status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(slack.responses.get(id)).toBeUndefined();
      expect(await itemsOf(user)).toEqual([]);
    });
  } else {
    it('reconnects after Slack asks for a refresh, and after a dropped socket, and keeps answering', async () => {
      for (const disconnect of [() => slack.requestRefresh(), () => slack.dropSocket()]) {
        const { connections } = slack.socketStats;
        disconnect();
        await waitUntil(
          () => (slack.socketStats.connections > connections && slack.socketConnected ? true : undefined),
          'a new socket connection',
          15_000,
        );
        const user = newUser();
        expect(await ask('/watch', 'BAC', user)).toContain('✅ Watching BAC 15m');
        expect(await itemsOf(user)).toHaveLength(1);
      }
    }, 40_000);
  }
});
