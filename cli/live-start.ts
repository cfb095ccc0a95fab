import { z } from 'zod';
import { ConsoleChat } from '../bot/console/console-chat.js';
import type { CommandCore } from '../bot/core/command-core.js';
import type { AwsClients } from '../shared/aws/aws-clients.js';
import type { ResourceNames } from '../shared/aws/resources.js';
import { FEED_SECRETS, feedEnv, feedSettingsFrom } from '../shared/config/feed-env.js';
import { parseEnv } from '../shared/config/parse-env.js';
import type { Logger } from '../shared/ports/logger.js';
import { startLiveFeed } from './live-feed.js';
import type { Cleanups } from './process-lifecycle.js';

/** The feed variables of `npm start -- --live`, parsed on their own so start-config.ts stays as it is. */
export function loadLiveStartSettings(env: Readonly<Record<string, string | undefined>>) {
  return feedSettingsFrom(parseEnv(z.object(feedEnv), env, FEED_SECRETS));
}

export interface LiveStartOptions {
  readonly clients: AwsClients;
  readonly names: ResourceNames;
  readonly logger: Logger;
  readonly cleanups: Cleanups;
  readonly say: (text: string) => void;
  readonly core: CommandCore;
  readonly userKey: string;
  /** Tells `npm start` which chat shows the console DMs. */
  readonly onChat: (chat: ConsoleChat) => void;
}

/** How often the console chat shows the feed's status line. */
const STATUS_IN_CHAT_MS = 30_000;

/**
 * `npm start -- --live`: instead of the demo replay, the Alpaca connector feeds the local pipeline with
 * today's trades of every watched symbol; the console chat shows its status line. Returns the exit code.
 */
export async function runLiveStart(options: LiveStartOptions): Promise<number> {
  const { say } = options;
  const settings = loadLiveStartSettings(process.env);
  say(`connecting to Alpaca (${settings.feed}) for live trades of every watched symbol…`);
  let chat: ConsoleChat | undefined;
  const live = await startLiveFeed({
    clients: options.clients,
    names: options.names,
    settings,
    logger: options.logger,
    statusEveryMs: STATUS_IN_CHAT_MS,
    onStatus: (line) => (chat ? chat.showNotice(line) : say(line)),
  });
  options.cleanups.push(() => live.stop());
  const stopped = new Promise<string | undefined>((resolve) => {
    const onSignal = () => {
      say('\nstopping: flushing the live trades in hand…');
      resolve(undefined);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    chat = new ConsoleChat({
      core: options.core,
      input: process.stdin,
      output: process.stdout,
      userKey: options.userKey,
      logger: options.logger,
      onClose: onSignal,
    });
    options.onChat(chat);
    chat.start();
    options.cleanups.push(() => chat?.close());
  });
  say(
    'live: /watch a symbol and its trades stream in within seconds; type /help for commands; Ctrl-C quits.',
  );
  const failure = await Promise.race([stopped, live.failed]);
  if (failure !== undefined) say(`stockalert: ${failure}`);
  await options.cleanups.runAll();
  say('stopped.');
  return failure === undefined ? 0 : 1;
}
