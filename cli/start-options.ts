import { Command, InvalidArgumentError } from 'commander';
import type { ReplaySpeed } from '../pipeline/producer/produce-trades.js';

/** What `npm start -- …` was asked to do. New options go here and in `startProgram` below. */
export interface StartOptions {
  readonly data?: string;
  readonly once: boolean;
  readonly speed?: ReplaySpeed;
  readonly demoWatch: boolean;
  readonly live?: boolean;
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

/** The `npm start` command line. */
export function startProgram(): Command {
  return new Command('npm start --')
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
    .option(
      '--live',
      'live trades from Alpaca instead of the demo replay (needs ALPACA_API_KEY_ID, ALPACA_API_SECRET_KEY)',
    )
    .addHelpText(
      'after',
      '\nEnvironment: STOCKALERT_DATA_DIR (default .local), STOCKALERT_LOCAL_PORTS (default 4567,4568,4569),\n' +
        'STOCKALERT_AWS=aws to use a real account, STOCKALERT_LOG_LEVEL, STOCKALERT_CONSOLE_USER. See README.md.',
    );
}

/** Parses `argv` (exits with commander's message on a bad option). */
export function parseStartOptions(argv: readonly string[] = process.argv): StartOptions {
  return startProgram()
    .parse([...argv])
    .opts<StartOptions>();
}

/** The replay speed: as asked, else full speed for `--once` and `--data`, else the demo's pace. */
export function replaySpeed(options: StartOptions): ReplaySpeed {
  return options.speed ?? (options.once || options.data !== undefined ? 'max' : DEMO_SPEED);
}
