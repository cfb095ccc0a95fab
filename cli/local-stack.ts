import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoSymbolDirectory } from '../bot/aws/dynamo-symbol-directory.js';
import type { ChatPlatformsConfig } from '../bot/bot-config.js';
import { startChatBots } from '../bot/chat-bots.js';
import type { ConsoleChat } from '../bot/console/console-chat.js';
import { ConsoleMessenger } from '../bot/console/console-messenger.js';
import { type CommandCore, createCommandCore } from '../bot/core/command-core.js';
import { LocalPipeline } from '../pipeline/local/local-pipeline.js';
import { createDirectChannelPreparer } from '../pipeline/notify/platform-messengers.js';
import { DynamoLiveFeedStatus } from '../shared/aws/dynamo-live-feed-status.js';
import { DynamoQuoteRepository } from '../shared/aws/dynamo-quote-repository.js';
import { DynamoRecipientRepository } from '../shared/aws/dynamo-recipient-repository.js';
import { JsonLinesLogger } from '../shared/log/json-lines-logger.js';
import type { Logger } from '../shared/ports/logger.js';
import { type AwsSession, openAwsSession } from './aws-session.js';
import { type LocalDigests, startLocalDigests } from './local-digests.js';
import type { Cleanups } from './process-lifecycle.js';
import type { StartConfig } from './start-config.js';

/** Everything `npm start` runs, wired and started; each part registers its own cleanup. */
export interface LocalStack {
  readonly logger: Logger;
  readonly aws: AwsSession;
  readonly pipeline: LocalPipeline;
  readonly core: CommandCore;
  /** The digest stage, ticked locally by croner (the cloud uses EventBridge Scheduler). */
  readonly digests: LocalDigests;
  /** Console users' DMs: printed until a chat is attached, then shown in it. */
  attachChat(chat: ConsoleChat): void;
}

/**
 * Wires `npm start`: the log file, AWS (embedded or an account), the pipeline with the same handler
 * wiring as the Lambdas, the command core, and the Discord/Slack bots when `platforms` has credentials.
 */
export async function startLocalStack(
  config: StartConfig,
  platforms: ChatPlatformsConfig | undefined,
  cleanups: Cleanups,
  say: (text: string) => void,
): Promise<LocalStack> {
  const { logger, logFile } = await openLogFile(config, cleanups);
  const aws = await openAwsSession({ target: config.aws, names: config.names, joinRunning: false });
  cleanups.push(() => aws.close());
  say(`using ${aws.description}; logs in ${logFile}`);

  let chat: ConsoleChat | undefined;
  const pipeline = new LocalPipeline({
    clients: aws.clients,
    names: config.names,
    logger,
    region: aws.connection.region,
    watcherCacheTtlMs: config.watcherCacheTtlMs,
    idlePollMs: config.pollMs,
    deadLetterDir: join(config.dataDir, 'dead-letters'),
    // Console users get their DMs here; Discord and Slack users on their platform when its token is set.
    messengers: config.messengers,
    consoleMessenger: new ConsoleMessenger((recipient, text) => {
      if (chat) chat.showDirectMessage(text);
      else process.stdout.write(`📩 DM to ${recipient}: ${text.replaceAll('\n', '\n   ')}\n`);
    }),
  });
  await pipeline.start();
  cleanups.push(() => pipeline.stop());

  const digests = startLocalDigests({
    clients: aws.clients,
    names: config.names,
    messengers: config.messengers,
    logger,
    dataDir: config.dataDir,
    show: (text) => (chat ? chat.showNotice(text) : say(text)),
  });
  cleanups.push(async () => digests.stop());

  const { dynamo } = aws.clients;
  const recipients = new DynamoRecipientRepository(dynamo, config.names.recipientsTable);
  const core = createCommandCore({
    subscriptions: digests.subscriptions,
    digests: digests.handler,
    watches: pipeline.watches,
    quotes: new DynamoQuoteRepository(dynamo, config.names.quotesTable),
    recipients,
    // A user's DM channel is opened at /watch, not at their first alert.
    directMessages: createDirectChannelPreparer(config.messengers, recipients, logger),
    liveFeed: new DynamoLiveFeedStatus(dynamo, config.names.watchesTable),
    ...(platforms ? { maxWatchesPerUser: platforms.maxWatchesPerUser } : {}),
  });
  if (platforms?.discord || platforms?.slack) {
    const symbols = new DynamoSymbolDirectory(dynamo, config.names.quotesTable);
    const bots = await startChatBots({ platforms, core, symbols, logger });
    cleanups.push(() => bots.stop());
    for (const line of bots.started) say(`chat bot connected: ${line}`);
  }
  return {
    logger,
    aws,
    pipeline,
    core,
    digests,
    attachChat(attached) {
      chat = attached;
    },
  };
}

/** Local logs go to a file: the terminal belongs to the chat. */
async function openLogFile(config: StartConfig, cleanups: Cleanups) {
  await mkdir(config.dataDir, { recursive: true });
  const logFile = join(config.dataDir, 'stockalert.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  cleanups.push(() => new Promise<void>((resolve) => logStream.end(resolve)));
  return { logger: new JsonLinesLogger(logStream, config.logLevel), logFile };
}
