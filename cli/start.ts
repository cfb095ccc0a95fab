import { loadChatPlatformsConfig } from '../bot/bot-config.js';
import type { ConsoleChat } from '../bot/console/console-chat.js';
import { consoleUserKey } from '../shared/domain/user-key.js';
import { runLiveStart } from './live-start.js';
import { startLocalStack } from './local-stack.js';
import { type Cleanups, runMain } from './process-lifecycle.js';
import { ReplayProgress } from './replay-progress.js';
import { loadStartConfig } from './start-config.js';
import { parseStartOptions, replaySpeed } from './start-options.js';
import { finishOnce, openConsoleChat, reportReplayInChat, seedDemoWatch } from './start-session.js';
import { listenForStop } from './stop-signal.js';
import { resolveTradesSource, uploadTradesSource } from './trades-object.js';

const say = (text: string) => process.stderr.write(`${text}\n`);

/**
 * `npm start`: parse, wire the local stack, seed the demo watch, replay trades, then either print
 * the `--once` summary or run the console chat until Ctrl-C.
 */
async function main(cleanups: Cleanups): Promise<number> {
  const options = parseStartOptions();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadStartConfig(process.env);
  // Discord and Slack join the console chat when their credentials are in env; --once has no chat at all.
  const platforms = options.once ? undefined : loadChatPlatformsConfig(process.env);
  const tradesSource = await resolveTradesSource(options.data);
  const startedAt = Date.now();

  const stack = await startLocalStack(config, platforms, cleanups, say);
  const userKey = consoleUserKey(config.consoleUser);
  if (options.live) {
    // Today's trades from the vendor instead of the demo replay (cli/live-start.ts).
    const { aws, logger, core } = stack;
    const onChat = (chat: ConsoleChat) => stack.attachChat(chat);
    return runLiveStart({
      clients: aws.clients,
      names: config.names,
      logger,
      cleanups,
      say,
      core,
      userKey,
      onChat,
    });
  }
  if (options.demoWatch) await seedDemoWatch(stack, userKey, say);

  const source = await uploadTradesSource(stack.aws.clients.s3, config.names.bucket, tradesSource);
  const speed = replaySpeed(options);
  say(
    `replaying ${source.label} from s3://${source.bucket}/${source.key} at ${speed === 'max' ? 'full speed' : `${speed}× market time`}`,
  );

  const stop = listenForStop(() => say('\nstopping: finishing the batches in hand…'));
  let chat: ConsoleChat | undefined;
  if (!options.once) {
    chat = openConsoleChat(stack, userKey, stop);
    cleanups.push(() => chat?.close());
    say('type /help for commands; Ctrl-C quits.');
    chat.start();
  }

  const progress = options.once || !process.stderr.isTTY ? new ReplayProgress() : undefined;
  const replay = stack.pipeline
    .replay({
      bucket: source.bucket,
      key: source.key,
      speed,
      signal: stop.signal,
      ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
    })
    .finally(() => progress?.stop());

  if (options.once) {
    const demo = tradesSource.kind === 'demo';
    const result = await finishOnce(stack, replay, stop, { label: source.label, startedAt, say, demo });
    await cleanups.runAll();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return stop.interrupted ? 130 : 0;
  }

  reportReplayInChat(replay, chat, stack, { demo: tradesSource.kind === 'demo', say });
  await stop.stopped;
  await replay.catch(() => undefined);
  await cleanups.runAll();
  say('stopped.');
  return 0;
}

runMain(main);
