import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ALPACA_FEEDS, type AlpacaFeedName } from '../../pipeline/feed/alpaca-market-feed.js';
import { JsonLinesLogger } from '../../shared/log/json-lines-logger.js';
import { openAwsSession } from '../aws-session.js';
import { loadFeedConfig } from '../feed-config.js';
import { requireAlpacaKeys, startLiveFeed } from '../live-feed.js';
import type { RegisterCommand } from './index.js';

interface FeedFlags {
  readonly feed?: AlpacaFeedName;
  readonly symbols?: readonly string[];
  readonly allBars?: boolean;
}

const SYMBOL = /^[A-Z][A-Z0-9.\-/]{0,9}$/;

/** `stockalert feed alpaca`: the live-data connector, alone or beside a running `npm start`. */
export const registerFeed: RegisterCommand = (program: Command) => {
  const feed = program.command('feed').description('Stream live market data onto the trades stream.');
  feed
    .command('alpaca')
    .description(
      "Connect to Alpaca's real-time stock stream and put every watched symbol's trades on the trades stream " +
        '(the most-watched on trades, the rest on minute bars), with reconnect, gap backfill and an hourly S3 archive. ' +
        'Joins a running `npm start`. Needs ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY.',
    )
    .addOption(
      new Option('--feed <feed>', 'iex (free plan), sip (paid plan) or test (FAKEPACA)').choices(
        ALPACA_FEEDS,
      ),
    )
    .option(
      '--symbols <list>',
      'symbols always on trades, besides the watched ones, e.g. AAPL,MSFT',
      parseSymbols,
    )
    .option('--all-bars', 'also take minute bars for the whole market')
    .action(async (flags: FeedFlags) => {
      process.exitCode = await runFeed(flags);
    });
};

async function runFeed(flags: FeedFlags): Promise<number> {
  const config = loadFeedConfig(process.env);
  const settings = {
    ...config.feed,
    ...(flags.feed !== undefined && { feed: flags.feed }),
    ...(flags.allBars && { allBars: true }),
  };
  // Before the stack: without keys there is nothing to connect, so nothing is started.
  requireAlpacaKeys(settings);
  await mkdir(config.dataDir, { recursive: true });
  const logStream = createWriteStream(join(config.dataDir, 'stockalert.log'), { flags: 'a' });
  const logger = new JsonLinesLogger(logStream, config.logLevel);
  const say = (text: string) => process.stderr.write(`${text}\n`);
  const session = await openAwsSession({ target: config.aws, names: config.names, joinRunning: true });
  try {
    say(`using ${session.description}`);
    say(`connecting to Alpaca (${settings.feed})…`);
    const live = await startLiveFeed({
      clients: session.clients,
      names: config.names,
      settings,
      logger,
      ...(flags.symbols && { pinned: flags.symbols }),
      onStatus: say,
    });
    say(`live on ${config.names.tradesStream}; Ctrl-C stops (what is in hand is flushed first).`);
    const stopped = new Promise<undefined>((resolve) => {
      const onSignal = () => {
        say('stopping: flushing the trades in hand…');
        process.once('SIGINT', () => process.exit(130));
        resolve(undefined);
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    });
    const failure = await Promise.race([live.failed, stopped]);
    await live.stop();
    if (failure !== undefined) {
      say(`stockalert: ${failure}`);
      return 1;
    }
    return 0;
  } finally {
    await session.close();
    await new Promise<void>((resolve) => logStream.end(resolve));
  }
}

function parseSymbols(text: string): string[] {
  const symbols = text
    .split(',')
    .map((symbol) => symbol.trim().toUpperCase())
    .filter(Boolean);
  const bad = symbols.find((symbol) => !SYMBOL.test(symbol));
  if (bad !== undefined || symbols.length === 0) {
    throw new InvalidArgumentError(
      `write symbols separated by commas, e.g. AAPL,MSFT${bad ? ` ("${bad}" is not a symbol)` : ''}`,
    );
  }
  return symbols;
}
