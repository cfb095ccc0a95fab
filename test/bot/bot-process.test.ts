import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { discordUser, slashCommand } from '../fakes/discord-interactions.js';
import { dmChannelIdOf, FAKE_DISCORD_TOKEN, FakeDiscord } from '../fakes/fake-discord.js';
import {
  FAKE_SLACK_APP_TOKEN,
  FAKE_SLACK_BOT_TOKEN,
  FAKE_SLACK_TEAM_ID,
  FakeSlack,
} from '../fakes/fake-slack.js';
import { slashCommandPayload } from '../fakes/slack-requests.js';
import { waitUntil, withTimeout } from '../fakes/wait.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const ROOT = new URL('../..', import.meta.url).pathname;

interface Run {
  readonly child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function runTs(script: string, args: readonly string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    // A pipe that stays open: npm start's console chat treats end of input as "quit".
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Three ports free right now, for an `npm start` that owns its own embedded stack. */
async function freePorts(): Promise<string> {
  const servers = await Promise.all(
    [0, 1, 2].map(
      () =>
        new Promise<Server>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports.join(',');
}

describe('npm run bot and discord register as processes, against the fakes', () => {
  let dataDir: string;
  // In the data folder the bot reads, so that it finds the stack's credentials there.
  const aws = useTestAws({
    dataDir: async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'stockalert-bot-'));
      return join(dataDir, 'aws');
    },
  });
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let env: Record<string, string>;

  beforeAll(async () => {
    discord = await FakeDiscord.start();
    slack = await FakeSlack.start();
    const port = (url: string) => new URL(url).port;
    const { endpoints } = aws.connection;
    env = {
      // The bot joins this test's embedded stack, as it joins a running `npm start`.
      STOCKALERT_LOCAL_PORTS: [endpoints.dynamodb, endpoints.kinesis, endpoints.s3].map(port).join(','),
      STOCKALERT_DATA_DIR: dataDir,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      DISCORD_BOT_TOKEN: FAKE_DISCORD_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: FAKE_SLACK_BOT_TOKEN,
      SLACK_APP_TOKEN: FAKE_SLACK_APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
    };
  }, 30_000);
  afterAll(async () => {
    await slack?.stop();
    await discord?.stop();
  });

  it('`stockalert discord register --guild ID` installs the five commands in that guild', async () => {
    const run = runTs('cli/stockalert.ts', ['discord', 'register', '--guild', '500000000000000077'], env);
    expect(await withTimeout(run.exited, 30_000, 'discord register')).toBe(0);
    expect(run.output()).toContain(
      'installed 5 commands in server 500000000000000077: /watch, /unwatch, /watchlist, /help, /digest',
    );
    expect(discord.registeredCommands.get('500000000000000077')?.map((command) => command.name)).toEqual([
      'watch',
      'unwatch',
      'watchlist',
      'help',
      'digest',
    ]);
  }, 40_000);

  it('`npm run bot` answers on Discord and Slack (Socket Mode), writes Watches, and stops cleanly on SIGINT', async () => {
    const run = runTs('cli/bot.ts', [], env);
    try {
      await waitUntil(
        () => (run.output().includes('Ctrl-C stops the bot.') ? true : undefined),
        `the bot to connect; output so far:\n${run.output()}`,
        30_000,
      );
      expect(run.output()).toContain('connected: Discord as stockalert');
      expect(run.output()).toContain('connected: Slack (Socket Mode)');

      const user = discordUser('600000000000000999');
      const exchange = discord.sendInteraction(
        slashCommand('watch', { symbol: 'BAC', threshold: 4 }, user, 'dm'),
      );
      const answered = await discord.waitForAnswer(exchange.interaction.id);
      expect(answered.callbacks[0]?.data?.content).toContain('✅ Watching BAC 15m');

      const { id, url } = slack.newResponseUrl();
      slack.sendEnvelope(
        'slash_commands',
        slashCommandPayload({
          command: '/watch',
          text: 'TSLA 6% 1h',
          userId: 'U0PROCESS1',
          responseUrl: url,
        }),
      );
      expect(String((await slack.waitForResponse(id)).text)).toContain('✅ Watching TSLA 1h');

      const watches = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
      expect(await watches.listByUser(`discord:${user.id}`)).toEqual([
        expect.objectContaining({ symbol: 'BAC', thresholdPct: 4 }),
      ]);
      expect(await watches.listByUser(`slack:${FAKE_SLACK_TEAM_ID}:U0PROCESS1`)).toEqual([
        expect.objectContaining({ symbol: 'TSLA', thresholdPct: 6, window: '1h' }),
      ]);
    } finally {
      run.child.kill('SIGINT');
    }
    expect(await withTimeout(run.exited, 20_000, 'the bot to stop')).toBe(0);
    expect(run.output()).toContain('stopped.');
    for (const secret of [FAKE_DISCORD_TOKEN, FAKE_SLACK_BOT_TOKEN, FAKE_SLACK_APP_TOKEN]) {
      expect(run.output()).not.toContain(secret);
    }
  }, 60_000);

  /** `npm start` with Discord credentials only, on its own ports and data folder, once its chat is up. */
  async function startWithDiscord(speed: string): Promise<Run> {
    const { SLACK_BOT_TOKEN: _s, SLACK_APP_TOKEN: _a, ...discordOnly } = env;
    const run = runTs('cli/start.ts', ['--speed', speed, '--no-demo-watch'], {
      ...discordOnly,
      STOCKALERT_LOCAL_PORTS: await freePorts(),
      STOCKALERT_DATA_DIR: await mkdtemp(join(tmpdir(), 'stockalert-start-')),
    });
    await waitUntil(
      () => (run.output().includes('type /help for commands') ? true : undefined),
      `npm start to be ready; output so far:\n${run.output()}`,
      45_000,
    );
    return run;
  }

  it('`npm start` keeps the console chat and also answers on Discord when the token is set', async () => {
    const run = await startWithDiscord('max');
    try {
      expect(run.output()).toContain('chat bot connected: Discord as stockalert');

      const user = discordUser('600000000000000998');
      const exchange = discord.sendInteraction(
        slashCommand('watch', { symbol: 'AIG', window: '5m' }, user, 'dm'),
      );
      const answered = await discord.waitForAnswer(exchange.interaction.id);
      expect(answered.callbacks[0]?.data?.content).toContain('✅ Watching AIG 5m');

      run.child.stdin?.write('/watch IBM 2%\n');
      await waitUntil(
        () => (run.output().includes('✅ Watching IBM 15m') ? true : undefined),
        `the console answer; output so far:\n${run.output()}`,
      );
    } finally {
      run.child.kill('SIGINT');
    }
    expect(await withTimeout(run.exited, 30_000, 'npm start to stop')).toBe(0);
    expect(run.output()).not.toContain(FAKE_DISCORD_TOKEN);
  }, 90_000);

  it('`npm start` sends the alert DM of a Discord watcher to Discord, with its embed and chart', async () => {
    // Two market minutes per wall second: the demo BAC sell-off comes about 17 s in, after the watch below.
    const run = await startWithDiscord('120');
    try {
      const user = discordUser('600000000000000997');
      const exchange = discord.sendInteraction(
        slashCommand('watch', { symbol: 'BAC', threshold: 3, window: '15m' }, user, 'dm'),
      );
      expect((await discord.waitForAnswer(exchange.interaction.id)).callbacks[0]?.data?.content).toContain(
        '✅ Watching BAC 15m',
      );

      const [dm] = await waitUntil(
        () => discord.messages.get(dmChannelIdOf('600000000000000997')),
        `the alert DM on Discord; output so far:\n${run.output()}`,
        60_000,
      );
      expect(dm?.embeds[0]?.title).toMatch(/^BAC fell 3\.\d% in 15 min$/);
      expect(dm?.nonce).toMatch(/^[0-9a-f]{25}$/);
    } finally {
      run.child.kill('SIGINT');
    }
    expect(await withTimeout(run.exited, 30_000, 'npm start to stop')).toBe(0);
  }, 120_000);

  it('`npm run bot` without credentials says which variables to set and exits 1', async () => {
    const { DISCORD_BOT_TOKEN: _d, SLACK_BOT_TOKEN: _s, SLACK_APP_TOKEN: _a, ...withoutTokens } = env;
    const run = runTs('cli/bot.ts', [], withoutTokens);
    expect(await withTimeout(run.exited, 30_000, 'the bot to exit')).toBe(1);
    expect(run.output()).toContain('no chat platform is configured. Set DISCORD_BOT_TOKEN');
  }, 40_000);
});
