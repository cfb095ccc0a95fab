import { describe, expect, it } from 'vitest';
import { loadBotConfig, loadChatPlatformsConfig } from '../../bot/bot-config.js';
import { ConfigError } from '../../shared/config/parse-env.js';

describe('bot configuration', () => {
  it('starts no platform without credentials, and the 50-watch default', () => {
    expect(loadChatPlatformsConfig({})).toEqual({ maxWatchesPerUser: 50 });
  });

  it('picks Socket Mode when an app token is present, the HTTP receiver when only a signing secret is', () => {
    const socket = loadChatPlatformsConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(socket.slack?.connection).toEqual({ kind: 'socket', appToken: 'xapp-1' });
    const http = loadChatPlatformsConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's3cr3t',
      SLACK_PORT: '3100',
    });
    expect(http.slack?.connection).toEqual({ kind: 'http', signingSecret: 's3cr3t', port: 3100 });
    const forced = loadChatPlatformsConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_SIGNING_SECRET: 's3cr3t',
      STOCKALERT_SLACK_MODE: 'http',
    });
    expect(forced.slack?.connection.kind).toBe('http');
  });

  it('reads the Discord token and a watch limit', () => {
    const config = loadChatPlatformsConfig({
      DISCORD_BOT_TOKEN: 'abc.def.ghi',
      STOCKALERT_MAX_WATCHES_PER_USER: '20',
    });
    expect(config).toEqual({ discord: { token: 'abc.def.ghi' }, maxWatchesPerUser: 20 });
  });

  it('names every bad variable, says what to do, and never prints a secret', () => {
    const env = {
      DISCORD_BOT_TOKEN: 'Bot super-secret-discord',
      SLACK_BOT_TOKEN: 'xoxp-super-secret-user-token',
      SLACK_APP_TOKEN: 'not-an-app-token-secret',
      STOCKALERT_MAX_WATCHES_PER_USER: '0',
      STOCKALERT_SLACK_MODE: 'websocket',
    };
    let message = '';
    try {
      loadChatPlatformsConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('DISCORD_BOT_TOKEN: put the token alone, without the "Bot " prefix');
    expect(message).toContain('SLACK_BOT_TOKEN: expected the Bot User OAuth Token, starting with "xoxb-"');
    expect(message).toContain('SLACK_APP_TOKEN: expected an app-level token starting with "xapp-"');
    expect(message).toContain('STOCKALERT_MAX_WATCHES_PER_USER');
    expect(message).toContain('STOCKALERT_SLACK_MODE');
    for (const secret of ['super-secret-discord', 'super-secret-user-token', 'not-an-app-token-secret']) {
      expect(message).not.toContain(secret);
    }
  });

  it('asks for the piece a Slack mode is missing', () => {
    expect(() => loadChatPlatformsConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(
      /SLACK_SIGNING_SECRET: the HTTP receiver needs/,
    );
    expect(() =>
      loadChatPlatformsConfig({ SLACK_BOT_TOKEN: 'xoxb-1', STOCKALERT_SLACK_MODE: 'socket' }),
    ).toThrow(/SLACK_APP_TOKEN: Socket Mode needs an app-level token/);
  });

  it('adds where AWS is for npm run bot', () => {
    const config = loadBotConfig({ DISCORD_BOT_TOKEN: 'abc', STOCKALERT_LOCAL_PORTS: '5001,5002,5003' });
    expect(config.aws).toMatchObject({
      kind: 'embedded',
      ports: { dynamodb: 5001, kinesis: 5002, s3: 5003 },
    });
  });
});
