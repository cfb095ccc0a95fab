import { describe, expect, it } from 'vitest';
import { loadStartConfig } from '../cli/start-config.js';
import { DEFAULT_RESOURCE_NAMES } from '../shared/aws/resources.js';
import { ConfigError } from '../shared/config/parse-env.js';

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadStartConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadStartConfig', () => {
  it('runs on the embedded stack with the documented defaults when nothing is set', () => {
    expect(loadStartConfig({})).toEqual({
      aws: {
        kind: 'embedded',
        region: 'us-east-1',
        ports: { dynamodb: 4567, kinesis: 4568, s3: 4569 },
        dataDir: '.local',
      },
      names: DEFAULT_RESOURCE_NAMES,
      dataDir: '.local',
      logLevel: 'info',
      watcherCacheTtlMs: 5_000,
      pollMs: 250,
      consoleUser: 'you',
      messengers: {},
    });
  });

  it('sends DMs on Discord and Slack only when their tokens are set, and never echoes a bad token', () => {
    const config = loadStartConfig({
      DISCORD_BOT_TOKEN: 'a-discord-bot-token-of-some-length',
      SLACK_BOT_TOKEN: 'xoxb-123',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
    });
    expect(config.messengers).toEqual({
      discord: { token: 'a-discord-bot-token-of-some-length' },
      slack: { token: 'xoxb-123', apiUrl: 'http://127.0.0.1:9999/api/' },
    });
    expect(() => loadStartConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token-by-mistake' })).toThrow(
      /SLACK_BOT_TOKEN/,
    );
    expect(() => loadStartConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token-by-mistake' })).not.toThrow(
      /xoxp-user-token-by-mistake/,
    );
  });

  it('reads the embedded ports, data folder and other settings from the environment', () => {
    const config = loadStartConfig({
      STOCKALERT_LOCAL_PORTS: '5001,5002,5003',
      STOCKALERT_DATA_DIR: '/tmp/stockalert',
      AWS_REGION: 'eu-west-1',
      STOCKALERT_LOG_LEVEL: 'debug',
      STOCKALERT_WATCHER_CACHE_TTL_MS: '250',
      STOCKALERT_POLL_MS: '1000',
      STOCKALERT_CONSOLE_USER: 'alice',
      STOCKALERT_TRADES_STREAM: 'my-trades',
    });

    expect(config).toMatchObject({
      aws: {
        kind: 'embedded',
        region: 'eu-west-1',
        ports: { dynamodb: 5001, kinesis: 5002, s3: 5003 },
        dataDir: '/tmp/stockalert',
      },
      names: { ...DEFAULT_RESOURCE_NAMES, tradesStream: 'my-trades' },
      logLevel: 'debug',
      watcherCacheTtlMs: 250,
      pollMs: 1000,
      consoleUser: 'alice',
    });
  });

  it('selects AWS through the default credential chain with STOCKALERT_AWS=aws', () => {
    expect(loadStartConfig({ STOCKALERT_AWS: 'aws', AWS_REGION: 'us-west-2' }).aws).toEqual({
      kind: 'aws',
      region: 'us-west-2',
    });
  });

  it('selects AWS at the given endpoint when AWS_ENDPOINT_URL is set', () => {
    expect(loadStartConfig({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }).aws).toEqual({
      kind: 'aws',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4566',
    });
  });

  it('stays embedded when STOCKALERT_AWS=embedded says so despite an AWS_ENDPOINT_URL', () => {
    const config = loadStartConfig({ STOCKALERT_AWS: 'embedded', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });

    expect(config.aws.kind).toBe('embedded');
  });

  it.each([
    ['STOCKALERT_LOCAL_PORTS', '4567,4568'],
    ['STOCKALERT_LOCAL_PORTS', '4567;4568;4569'],
    ['STOCKALERT_LOCAL_PORTS', 'dynamodb,kinesis,s3'],
    ['STOCKALERT_LOCAL_PORTS', '4567,4568,70000'],
    ['STOCKALERT_AWS', 'cloud'],
    ['STOCKALERT_AWS', 'AWS'],
    ['STOCKALERT_LOG_LEVEL', 'verbose'],
    ['STOCKALERT_WATCHER_CACHE_TTL_MS', 'soon'],
    ['STOCKALERT_WATCHER_CACHE_TTL_MS', '-1'],
    ['STOCKALERT_POLL_MS', '0'],
    ['STOCKALERT_POLL_MS', 'fast'],
    ['STOCKALERT_CONSOLE_USER', 'alice smith'],
    ['AWS_ENDPOINT_URL', 'localhost 4566'],
  ])('refuses %s=%s with a ConfigError naming the variable and the value', (variable, value) => {
    const error = configErrorOf({ [variable]: value });

    expect(error.message).toContain(`${variable}: `);
    expect(error.message).toContain(JSON.stringify(value));
  });

  it('explains the expected format of STOCKALERT_LOCAL_PORTS', () => {
    expect(configErrorOf({ STOCKALERT_LOCAL_PORTS: '4567' }).message).toContain(
      'STOCKALERT_LOCAL_PORTS: expected three ports "dynamodb,kinesis,s3", e.g. "4567,4568,4569", got "4567"',
    );
  });

  it('names every bad variable in one error', () => {
    const message = configErrorOf({ STOCKALERT_AWS: 'cloud', STOCKALERT_LOG_LEVEL: 'loud' }).message;

    expect(message).toMatch(/STOCKALERT_AWS: .*"cloud"/);
    expect(message).toMatch(/STOCKALERT_LOG_LEVEL: .*"loud"/);
    expect(message.split('\n')).toHaveLength(3);
  });
});
