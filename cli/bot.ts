import { Command } from 'commander';
import { DynamoSymbolDirectory } from '../bot/aws/dynamo-symbol-directory.js';
import type { ChatPlatformsConfig } from '../bot/bot-config.js';
import { loadBotConfig } from '../bot/bot-config.js';
import { startChatBots } from '../bot/chat-bots.js';
import { createCommandCore } from '../bot/core/command-core.js';
import { digestDeps } from '../pipeline/digest/digest-deps.js';
import { createDigestHandler } from '../pipeline/digest/digest-handler.js';
import { createDirectChannelPreparer } from '../pipeline/notify/platform-messengers.js';
import { DynamoLiveFeedStatus } from '../shared/aws/dynamo-live-feed-status.js';
import { DynamoQuoteRepository } from '../shared/aws/dynamo-quote-repository.js';
import { DynamoRecipientRepository } from '../shared/aws/dynamo-recipient-repository.js';
import { DynamoWatchRepository } from '../shared/aws/dynamo-watch-repository.js';
import type { MessengerSettings } from '../shared/config/messenger-env.js';
import { ConfigError } from '../shared/config/parse-env.js';
import { JsonLinesLogger } from '../shared/log/json-lines-logger.js';
import { openAwsSession } from './aws-session.js';
import { type Cleanups, runMain } from './process-lifecycle.js';

const program = new Command('npm run bot --')
  .description(
    'Run the StockAlert chat bot on Discord and/or Slack (whichever has credentials in the environment) ' +
      'against the configured AWS, or the embedded stack (joining a running `npm start` on the same ports).',
  )
  .addHelpText(
    'after',
    '\nEnvironment: DISCORD_BOT_TOKEN; SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP, SLACK_PORT default 3000)\n' +
      'or SLACK_APP_TOKEN (Socket Mode); STOCKALERT_SLACK_MODE=socket|http; STOCKALERT_MAX_WATCHES_PER_USER;\n' +
      'STOCKALERT_AWS, STOCKALERT_LOCAL_PORTS, STOCKALERT_DATA_DIR, STOCKALERT_LOG_LEVEL. See README.md.',
  );

async function main(cleanups: Cleanups): Promise<number> {
  program.parse();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadBotConfig(process.env);
  const say = (text: string) => process.stderr.write(`${text}\n`);
  const { platforms } = config;
  if (platforms.discord === undefined && platforms.slack === undefined) {
    throw new ConfigError(
      'no chat platform is configured. Set DISCORD_BOT_TOKEN for Discord, and/or SLACK_BOT_TOKEN with ' +
        'SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode) for Slack — see "Connect to Discord" ' +
        'and "Connect to Slack" in README.md. To try the bot without either, run npm start.',
    );
  }
  // Logs go to stdout as JSON lines: this is a service, and the terminal is not a chat here.
  const logger = new JsonLinesLogger(process.stdout, config.logLevel);

  const aws = await openAwsSession({ target: config.aws, names: config.names, joinRunning: true });
  cleanups.push(() => aws.close());
  say(`using ${aws.description}`);

  const { dynamo } = aws.clients;
  // `/digest` settings and `/digest now`; the schedule itself runs in the digest Lambda (or npm start).
  const messengers = messengerSettingsOf(platforms);
  const digestWiring = digestDeps(aws.clients, config.names, messengers, logger);
  const recipients = new DynamoRecipientRepository(dynamo, config.names.recipientsTable);
  const core = createCommandCore({
    subscriptions: digestWiring.subscriptions,
    digests: createDigestHandler(digestWiring),
    watches: new DynamoWatchRepository(dynamo, config.names.watchesTable),
    liveFeed: new DynamoLiveFeedStatus(dynamo, config.names.watchesTable),
    quotes: new DynamoQuoteRepository(dynamo, config.names.quotesTable),
    maxWatchesPerUser: platforms.maxWatchesPerUser,
    recipients,
    // A user's DM channel is opened at /watch, not at their first alert.
    directMessages: createDirectChannelPreparer(messengers, recipients, logger),
    logger,
  });
  const bots = await startChatBots({
    platforms,
    core,
    symbols: new DynamoSymbolDirectory(dynamo, config.names.quotesTable),
    logger,
  });
  cleanups.push(() => bots.stop());
  for (const line of bots.started) say(`connected: ${line}`);
  say('Ctrl-C stops the bot.');

  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = () => {
      // A second Ctrl-C means "now": do not wait for a platform that does not answer.
      if (stopping) process.exit(130);
      stopping = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  say('stopping: finishing the commands in hand…');
  await cleanups.runAll();
  say('stopped.');
  return 0;
}

/** The bot's platform credentials as the digest's channel posters take them. */
function messengerSettingsOf(platforms: ChatPlatformsConfig): MessengerSettings {
  const { discord, slack } = platforms;
  return {
    ...(discord && { discord: { token: discord.token, ...(discord.apiUrl && { apiUrl: discord.apiUrl }) } }),
    ...(slack && { slack: { token: slack.botToken, ...(slack.apiUrl && { apiUrl: slack.apiUrl }) } }),
  };
}

runMain(main);
