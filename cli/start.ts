import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DynamoSymbolDirectory } from '../bot/aws/dynamo-symbol-directory.js';
import { loadChatPlatformsConfig } from '../bot/bot-config.js';
import { startChatBots } from '../bot/chat-bots.js';
import { ConsoleChat } from '../bot/console/console-chat.js';
import { ConsoleMessenger } from '../bot/console/console-messenger.js';
import { createCommandCore } from '../bot/core/command-core.js';
import { LocalPipeline } from '../pipeline/local/local-pipeline.js';
import { MessengerRouter } from '../pipeline/notify/messenger-router.js';
import { createPlatformMessengers } from '../pipeline/notify/platform-messengers.js';
import type { ReplaySpeed } from '../pipeline/producer/produce-trades.js';
import { DynamoQuoteRepository } from '../shared/aws/dynamo-quote-repository.js';
import { DynamoRecipientRepository } from '../shared/aws/dynamo-recipient-repository.js';
import { consoleUserKey } from '../shared/domain/user-key.js';
import { JsonLinesLogger } from '../shared/log/json-lines-logger.js';
import { openAwsSession } from './aws-session.js';
import { type Cleanups, runMain } from './process-lifecycle.js';
import { ReplayProgress } from './replay-progress.js';
import { loadStartConfig } from './start-config.js';
import { resolveTradesSource, uploadTradesSource } from './trades-object.js';

interface StartOptions {
  readonly data?: string;
  readonly once: boolean;
  readonly speed?: ReplaySpeed;
  readonly demoWatch: boolean;
}

/** Demo replays at one market minute per second, so the sell-off DM lands about 35 s in. */
const DEMO_SPEED = 60;

function parseSpeed(value: string): ReplaySpeed {
  if (value === 'max') return 'max';
  const speed = Number(value);
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new InvalidArgumentError('use a positive number (60 = one market minute per second) or "max".');
  }
  return speed;
}

const program = new Command('npm start --')
  .description(
    'Run all of StockAlert on this machine: the embedded AWS stack, the producer, the detector and notifier\n' +
      'on their streams, and a console chat where you type /watch, /unwatch and /watchlist.',
  )
  .option(
    '--data <file>',
    'replay this trades CSV (plain or .gz, local path or s3://bucket/key) instead of the demo data',
  )
  .option(
    '--once',
    'replay at full speed without the chat, wait until every trade is processed, print a JSON summary and exit',
    false,
  )
  .option(
    '--speed <n|max>',
    'market seconds per wall second (default: 60 for the demo, max otherwise)',
    parseSpeed,
  )
  .option('--no-demo-watch', 'do not add the demo watch (BAC 3% over 15m) for the console user')
  .addHelpText(
    'after',
    '\nEnvironment: STOCKALERT_DATA_DIR (default .local), STOCKALERT_LOCAL_PORTS (default 4567,4568,4569),\n' +
      'STOCKALERT_AWS=aws to use a real account, STOCKALERT_LOG_LEVEL, STOCKALERT_CONSOLE_USER. See README.md.',
  );

async function main(cleanups: Cleanups): Promise<number> {
  program.parse();
  const options = program.opts<StartOptions>();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadStartConfig(process.env);
  // Discord and Slack join the console chat when their credentials are in env; --once has no chat at all.
  const platforms = options.once ? undefined : loadChatPlatformsConfig(process.env);
  const tradesSource = await resolveTradesSource(options.data);
  const startedAt = Date.now();
  const say = (text: string) => process.stderr.write(`${text}\n`);

  await mkdir(config.dataDir, { recursive: true });
  const logFile = join(config.dataDir, 'stockalert.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  const logger = new JsonLinesLogger(logStream, config.logLevel);

  cleanups.push(() => new Promise<void>((resolve) => logStream.end(resolve)));

  const aws = await openAwsSession({ target: config.aws, names: config.names, joinRunning: false });
  cleanups.push(() => aws.close());
  const { clients, connection } = aws;
  say(`using ${aws.description}; logs in ${logFile}`);

  const userKey = consoleUserKey(config.consoleUser);
  let chat: ConsoleChat | undefined;
  const recipients = new DynamoRecipientRepository(clients.dynamo, config.names.recipientsTable);
  // Console users get their DMs here; Discord and Slack users on their platform when its token is set.
  const messenger = new MessengerRouter({
    console: new ConsoleMessenger((recipient, text) => {
      if (chat) chat.showDirectMessage(text);
      else process.stdout.write(`📩 DM to ${recipient}: ${text.replaceAll('\n', '\n   ')}\n`);
    }),
    ...createPlatformMessengers(config.messengers, recipients, logger),
  });
  const pipeline = new LocalPipeline({
    clients,
    names: config.names,
    messenger,
    logger,
    region: connection.region,
    watcherCacheTtlMs: config.watcherCacheTtlMs,
    idlePollMs: config.pollMs,
    deadLetterDir: join(config.dataDir, 'dead-letters'),
  });
  await pipeline.start();
  cleanups.push(() => pipeline.stop());
  const core = createCommandCore({
    watches: pipeline.watches,
    quotes: new DynamoQuoteRepository(clients.dynamo, config.names.quotesTable),
    recipients,
    ...(platforms ? { maxWatchesPerUser: platforms.maxWatchesPerUser } : {}),
  });
  if (platforms?.discord || platforms?.slack) {
    const symbols = new DynamoSymbolDirectory(clients.dynamo, config.names.quotesTable);
    const bots = await startChatBots({ platforms, core, symbols, logger });
    cleanups.push(() => bots.stop());
    for (const line of bots.started) say(`chat bot connected: ${line}`);
  }

  if (options.demoWatch) {
    await pipeline.watches.put({
      userKey,
      symbol: 'BAC',
      thresholdPct: 3,
      window: '15m',
      direction: 'both',
      hours: 'all',
      createdAt: Date.now(),
    });
    say(`demo watch for ${userKey}: /watch BAC 3% 15m (remove it with /unwatch BAC)`);
  }

  const source = await uploadTradesSource(clients.s3, config.names.bucket, tradesSource);
  const speed: ReplaySpeed =
    options.speed ?? (options.once || options.data !== undefined ? 'max' : DEMO_SPEED);
  say(
    `replaying ${source.label} from s3://${source.bucket}/${source.key} at ${speed === 'max' ? 'full speed' : `${speed}× market time`}`,
  );

  const abort = new AbortController();
  let interrupted = false;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = () => {
      if (interrupted) return;
      interrupted = true;
      say('\nstopping: finishing the batches in hand…');
      abort.abort();
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (!options.once) {
      chat = new ConsoleChat({
        core,
        input: process.stdin,
        output: process.stdout,
        userKey,
        logger,
        onClose: onSignal,
      });
      cleanups.push(() => chat?.close());
    }
  });
  if (chat) {
    say('type /help for commands; Ctrl-C quits.');
    chat.start();
  }

  const progress = options.once || !process.stderr.isTTY ? new ReplayProgress() : undefined;
  const replay = pipeline
    .replay({
      bucket: source.bucket,
      key: source.key,
      speed,
      signal: abort.signal,
      ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
    })
    .finally(() => progress?.stop());

  if (options.once) {
    const summary = await replay;
    say(
      `replayed ${summary.trades.toLocaleString('en-US')} trades (${summary.rejected} rejected); waiting for detection and delivery…`,
    );
    await Promise.race([pipeline.drained(), stopped]);
    const result = {
      data: source.label,
      trades: summary.trades,
      rejected: summary.rejected,
      records: summary.records,
      tradesDetected: pipeline.detectorStats.trades,
      alerts: pipeline.detectorStats.alertsCreated,
      alertsAlreadyRecorded: pipeline.detectorStats.alertsAlreadyKnown,
      delivered: pipeline.notifierStats.delivered,
      deliveryFailures: pipeline.notifierStats.failed,
      poisonRecords: pipeline.detectorStats.poisonRecords + pipeline.notifierStats.poisonRecords,
      seconds: Number(((Date.now() - startedAt) / 1000).toFixed(1)),
      interrupted,
    };
    await cleanups.runAll();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return interrupted ? 130 : 0;
  }

  replay.then(
    (summary) => {
      const counts = `${summary.trades.toLocaleString('en-US')} trades${summary.rejected ? `, ${summary.rejected} rejected` : ''}`;
      if (!summary.aborted) chat?.showNotice(`replay finished: ${counts}. Still watching — Ctrl-C quits.`);
    },
    (error: unknown) => {
      logger.error('replay failed', { error: String(error) });
      chat?.showNotice(`replay failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  await stopped;
  await replay.catch(() => undefined);
  await cleanups.runAll();
  say('stopped.');
  return 0;
}

runMain(main);
