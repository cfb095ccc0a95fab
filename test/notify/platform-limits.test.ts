import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessengerRouter } from '../../pipeline/notify/messenger-router.js';
import { createNotifierHandler, newNotifierStats } from '../../pipeline/notify/notifier-handler.js';
import { createPlatformMessengers } from '../../pipeline/notify/platform-messengers.js';
import type { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import type { DynamoRecipientRepository } from '../../shared/aws/dynamo-recipient-repository.js';
import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import type { Alert } from '../../shared/domain/alert.js';
import { DELIVERY_CREDENTIALS_ALARM, MESSAGE_FORMAT_ALARM } from '../../shared/ports/messenger.js';
import { dmChannelIdOf, FAKE_DISCORD_TOKEN, type FakeDiscord } from '../fakes/fake-discord.js';
import { FAKE_SLACK_BOT_TOKEN, type FakeSlack } from '../fakes/fake-slack.js';
import { alertFactory, alertsStreamEvent } from '../helpers/alerts.js';
import { type DeliveryFakes, startDeliveryFakes } from '../helpers/delivery-fakes.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';

const SYMBOLS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('alert DMs within the platform limits, through the real clients against the fakes', () => {
  let fakes: DeliveryFakes;
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let repository: DynamoAlertRepository;
  let recipients: DynamoRecipientRepository;

  beforeAll(async () => {
    fakes = await startDeliveryFakes();
    ({ discord, slack, alerts: repository, recipients } = fakes);
  });
  afterAll(async () => {
    await fakes?.stop();
  });

  function notifier(overrides: Partial<MessengerSettings> = {}) {
    const { logger, lines } = memoryLogger();
    const stats = newNotifierStats();
    const messengers = createPlatformMessengers(
      {
        discord: { token: FAKE_DISCORD_TOKEN, apiUrl: discord.apiUrl },
        slack: { token: FAKE_SLACK_BOT_TOKEN, apiUrl: slack.apiUrl },
        ...overrides,
      },
      recipients,
      logger,
    );
    const handler = createNotifierHandler({
      alerts: repository,
      messenger: new MessengerRouter(messengers),
      recipients,
      logger,
      stats,
    });
    return { handler, stats, lines };
  }

  /** `count` recorded alerts of one user, on distinct symbols AA, AB… */
  async function burst(userKey: string, count: number): Promise<Alert[]> {
    const alerts = Array.from({ length: count }, (_, i) =>
      alertFactory({ userKey, symbol: `${SYMBOLS[Math.floor(i / 26)]}${SYMBOLS[i % 26]}` }),
    );
    for (const alert of alerts) await repository.record(alert);
    return alerts;
  }

  describe('Discord', () => {
    it('shows all 25 alerts of a burst, in messages of at most 10 embeds', async () => {
      const alerts = await burst('discord:300000000000001001', 25);

      const { handler, stats } = notifier();
      const response = await handler(alertsStreamEvent(alerts));

      const messages = discord.messages.get(dmChannelIdOf('300000000000001001')) ?? [];
      expect(response.batchItemFailures).toEqual([]);
      expect(messages.every((message) => message.embeds.length <= 10)).toBe(true);
      const shown = messages.flatMap((message) => message.embeds.map((embed) => embed.title));
      expect(shown.sort()).toEqual(alerts.map((alert) => `${alert.symbol} fell 4.1% in 15 min`).sort());
      expect(stats.delivered).toBe(25);
    });

    it('logs a refused message form (50035) loudly and delivers the alert as plain text instead', async () => {
      const [alert] = await burst('discord:300000000000001002', 1);
      discord.http.inject({
        method: 'POST',
        path: new RegExp(`/channels/${dmChannelIdOf('300000000000001002')}/messages$`),
        response: { status: 400, body: { message: 'Invalid Form Body', code: 50035 } },
      });

      const { handler, stats, lines } = notifier();
      const response = await handler(alertsStreamEvent([alert as Alert]));

      const [message, ...others] = discord.messages.get(dmChannelIdOf('300000000000001002')) ?? [];
      expect(response.batchItemFailures).toEqual([]);
      expect(others).toEqual([]);
      expect(message?.content).toMatch(/^AA fell 4\.1% in 15 min/);
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 'ERROR', alarm: MESSAGE_FORMAT_ALARM, platform: 'discord' }),
      );
      expect(stats.delivered).toBe(1);
      expect(await recipients.blocked('discord:300000000000001002')).toBeUndefined();
    });

    it('keeps alerts pending and raises the credentials alarm when the bot token is refused (401)', async () => {
      const [alert] = await burst('discord:300000000000001003', 1);

      const { handler, stats, lines } = notifier({
        discord: { token: 'revoked-token-0123456789', apiUrl: discord.apiUrl },
      });
      const response = await handler(alertsStreamEvent([alert as Alert]));

      expect(response.batchItemFailures).toHaveLength(1);
      expect(stats).toMatchObject({ failed: 0, delivered: 0, operatorErrors: 1 });
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 'ERROR', alarm: DELIVERY_CREDENTIALS_ALARM, platform: 'discord' }),
      );
      expect(await recipients.blocked('discord:300000000000001003')).toBeUndefined();
      // The REST client forgets a refused token: the next batch must still read as the bot's credentials,
      // not as a transient failure.
      const again = await handler(alertsStreamEvent([alert as Alert]));
      expect(again.batchItemFailures).toHaveLength(1);
      expect(stats).toMatchObject({ failed: 0, delivered: 0, operatorErrors: 2 });
      expect(await repository.claimDelivery(alert as Alert, 60_000)).toBe('claimed');
    });

    it('abandons a request that hangs past the timeout and retries it', async () => {
      const [alert] = await burst('discord:300000000000001004', 1);
      discord.http.inject({ method: 'POST', path: /\/users\/@me\/channels$/, delayMs: 30_000 });

      const { handler, stats } = notifier({ requestTimeoutMs: 200 });
      await handler(alertsStreamEvent([alert as Alert]));

      // Without a timeout the handler would wait out the 30 s hang, past this test's own 15 s.
      expect(stats.delivered).toBe(1);
      expect(discord.messages.get(dmChannelIdOf('300000000000001004'))).toHaveLength(1);
    }, 15_000);
  });

  describe('Slack', () => {
    it('delivers all 18 alerts of a burst in messages of at most 50 blocks', async () => {
      const alerts = await burst('slack:T0FAKE0001:U0BURST01', 18);

      const { handler, stats } = notifier();
      const response = await handler(alertsStreamEvent(alerts));

      const messages = slack.messages.get('D0BURST01') ?? [];
      const blocks = messages.map(
        (message) => JSON.parse(String(message.blocks)) as { text?: { text: string } }[],
      );
      expect(response.batchItemFailures).toEqual([]);
      expect(blocks.every((list) => list.length <= 50)).toBe(true);
      const shown = blocks.flat().flatMap((block) => /\*(\S+) fell/.exec(block.text?.text ?? '')?.[1] ?? []);
      expect(shown.sort()).toEqual(alerts.map((alert) => alert.symbol).sort());
      expect(stats.delivered).toBe(18);
    });

    it('logs invalid_blocks loudly and delivers the alert as plain text instead of retrying it forever', async () => {
      const [alert] = await burst('slack:T0FAKE0001:U0BLOCKS1', 1);
      slack.http.inject({
        path: /^\/api\/chat\.postMessage$/,
        response: { status: 200, body: { ok: false, error: 'invalid_blocks' } },
      });

      const { handler, stats, lines } = notifier();
      const response = await handler(alertsStreamEvent([alert as Alert]));

      const [message, ...others] = slack.messages.get('D0BLOCKS1') ?? [];
      expect(response.batchItemFailures).toEqual([]);
      expect(others).toEqual([]);
      expect(message?.blocks).toBeUndefined();
      expect(message?.text).toMatch(/^AA fell 4\.1% in 15 min/);
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 'ERROR', alarm: MESSAGE_FORMAT_ALARM, code: 'invalid_blocks' }),
      );
      expect(stats.delivered).toBe(1);
    });

    it.each([
      ['invalid_auth', 'xoxb-revoked-token', undefined],
      ['missing_scope', 'xoxb-no-chat-write', ['commands', 'im:write']],
    ])(
      'keeps alerts pending on %s, raises the credentials alarm and never blames the user',
      async (code, token, scopes) => {
        if (scopes) slack.botTokens.set(token, new Set(scopes));
        const userKey = `slack:T0FAKE0001:U0${code.replace(/_/g, '').toUpperCase().slice(0, 7)}`;
        const [alert] = await burst(userKey, 1);

        const { handler, stats, lines } = notifier({ slack: { token, apiUrl: slack.apiUrl } });
        const response = await handler(alertsStreamEvent([alert as Alert]));

        expect(response.batchItemFailures).toHaveLength(1);
        expect(stats).toMatchObject({ failed: 0, delivered: 0, operatorErrors: 1 });
        expect(lines).toContainEqual(
          expect.objectContaining({
            level: 'ERROR',
            alarm: DELIVERY_CREDENTIALS_ALARM,
            platform: 'slack',
            code,
          }),
        );
        expect(await recipients.blocked(userKey)).toBeUndefined();
        expect(await repository.claimDelivery(alert as Alert, 60_000)).toBe('claimed');
      },
    );

    it('abandons a request that hangs past the timeout and retries it', async () => {
      const [alert] = await burst('slack:T0FAKE0001:U0HANG001', 1);
      slack.http.inject({ path: /^\/api\/conversations\.open$/, delayMs: 30_000 });

      const { handler, stats } = notifier({ requestTimeoutMs: 200 });
      await handler(alertsStreamEvent([alert as Alert]));

      // Without a timeout the handler would wait out the 30 s hang, past this test's own 15 s.
      expect(stats.delivered).toBe(1);
      expect(slack.messages.get('D0HANG001')).toHaveLength(1);
    }, 15_000);
  });
});
