import { REST } from '@discordjs/rest';
import { WebClient } from '@slack/web-api';
import { Routes } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DISCORD_TOKEN, FakeDiscord } from '../fakes/fake-discord.js';
import { FAKE_SLACK_BOT_TOKEN, FakeSlack } from '../fakes/fake-slack.js';

/**
 * The fakes' fault injection, driven by the real REST clients the notifier uses (@discordjs/rest and
 * @slack/web-api): what a delivery test can rely on.
 */
describe('platform fakes under injected faults', () => {
  let discord: FakeDiscord;
  let slack: FakeSlack;

  beforeAll(async () => {
    discord = await FakeDiscord.start();
    slack = await FakeSlack.start();
  });
  afterAll(async () => {
    await discord?.stop();
    await slack?.stop();
  });

  function discordRest(retries = 1): REST {
    return new REST({ api: discord.apiUrl, retries, timeout: 5_000 }).setToken(FAKE_DISCORD_TOKEN);
  }

  it('Discord: opens a DM and posts to it, recording both calls', async () => {
    const rest = discordRest();
    const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: '42' } })) as {
      id: string;
      type: number;
    };
    expect(channel.type).toBe(1);
    await rest.post(Routes.channelMessages(channel.id), { body: { content: 'BAC fell 4%' } });
    expect(discord.messages.get(channel.id)?.map((message) => message.content)).toEqual(['BAC fell 4%']);
    expect(discord.http.callsTo('POST', /\/users\/@me\/channels$/)).toHaveLength(1);
  });

  it('Discord: a 429 carries Retry-After and X-RateLimit-* headers, and @discordjs/rest waits and retries', async () => {
    discord.rateLimit({ method: 'POST', path: /\/channels\/rl-1\/messages$/, retryAfterSeconds: 0.2 });
    await discordRest().post(Routes.channelMessages('rl-1'), { body: { content: 'after the limit' } });
    const calls = discord.http.callsTo('POST', /\/channels\/rl-1\/messages$/);
    expect(calls.map((call) => call.response?.status)).toEqual([429, 200]);
    expect(calls[0]?.response?.headers).toMatchObject({
      'retry-after': '1',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': '0.2',
      'x-ratelimit-scope': 'user',
    });
    expect(discord.messages.get('rl-1')).toHaveLength(1);
  });

  it('Discord: a 5xx is retried, latency only delays, a dropped connection fails the call', async () => {
    discord.http.inject({ method: 'POST', path: /\/channels\/err-1\/messages$/, response: { status: 502 } });
    await discordRest(1).post(Routes.channelMessages('err-1'), { body: { content: 'x' } });
    expect(
      discord.http.callsTo('POST', /\/channels\/err-1\/messages$/).map((call) => call.response?.status),
    ).toEqual([502, 200]);

    discord.http.inject({ path: /\/channels\/slow-1\/messages$/, delayMs: 300 });
    await discordRest().post(Routes.channelMessages('slow-1'), { body: { content: 'late' } });
    expect(discord.messages.get('slow-1')).toHaveLength(1);

    discord.http.inject({ path: /\/channels\/cut-1\/messages$/, disconnect: true });
    await expect(
      discordRest(0).post(Routes.channelMessages('cut-1'), { body: { content: 'lost' } }),
    ).rejects.toThrow();
    expect(discord.messages.get('cut-1')).toBeUndefined();
  });

  it('Slack: conversations.open then chat.postMessage, and a 429 with Retry-After is waited out', async () => {
    const web = new WebClient(FAKE_SLACK_BOT_TOKEN, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 10 },
    });
    const opened = await web.conversations.open({ users: 'U0ALICE' });
    const channel = opened.channel?.id ?? '';
    expect(channel).toBe('D0ALICE');
    slack.rateLimit('chat.postMessage', 1);
    const posted = await web.chat.postMessage({ channel, text: 'BAC fell 4%' });
    expect(posted.ok).toBe(true);
    expect(slack.http.callsTo('POST', /chat\.postMessage$/).map((call) => call.response?.status)).toEqual([
      429, 200,
    ]);
    expect(slack.messages.get(channel)?.map((message) => message.text)).toEqual(['BAC fell 4%']);
  });

  it('Slack: a wrong token is refused as Slack does (HTTP 200, ok:false invalid_auth)', async () => {
    const web = new WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    await expect(web.auth.test()).rejects.toThrow(/invalid_auth/);
  });

  it('Discord: a message with a file arrives as an attachment, payload_json read', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    await discordRest().post(Routes.channelMessages('file-1'), {
      body: {
        content: 'chart',
        nonce: 'abc',
        enforce_nonce: true,
        attachments: [{ id: 0, filename: 'chart.png' }],
      },
      files: [{ name: 'chart.png', data: png, contentType: 'image/png' }],
    });
    expect(discord.messages.get('file-1')).toEqual([
      expect.objectContaining({
        content: 'chart',
        nonce: 'abc',
        attachments: [
          expect.objectContaining({ filename: 'chart.png', size: png.length, content_type: 'image/png' }),
        ],
      }),
    ]);
  });

  it('Slack: files.uploadV2 goes through the three upload steps into a thread', async () => {
    const web = new WebClient(FAKE_SLACK_BOT_TOKEN, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 9, 9, 9]);
    await web.filesUploadV2({
      channel_id: 'D0ALICE',
      thread_ts: '1700000001.000100',
      file: png,
      filename: 'chart.png',
      title: 'BAC',
    });
    expect([...slack.files.values()]).toEqual([
      expect.objectContaining({
        filename: 'chart.png',
        bytes: png.length,
        channelId: 'D0ALICE',
        threadTs: '1700000001.000100',
      }),
    ]);
  });
});
