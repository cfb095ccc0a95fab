import type { FeedConnector } from '../pipeline/feed/feed-connector.js';
import { feedErrorText } from '../pipeline/feed/feed-error-text.js';
import { statusLine } from '../pipeline/feed/feed-stats.js';
import { createAlpacaConnector } from '../pipeline/feed/feed-wiring.js';
import type { AwsClients } from '../shared/aws/aws-clients.js';
import type { ResourceNames } from '../shared/aws/resources.js';
import type { FeedSettings } from '../shared/config/feed-env.js';
import { ConfigError } from '../shared/config/parse-env.js';
import type { Logger } from '../shared/ports/logger.js';
import { FeedError } from '../shared/ports/market-feed.js';

/** The feed could not start or stopped for good; the message says what to do. */
export class LiveFeedError extends Error {
  override readonly name = 'LiveFeedError';
}

export interface LiveFeedOptions {
  readonly clients: AwsClients;
  readonly names: ResourceNames;
  readonly settings: FeedSettings;
  readonly logger: Logger;
  readonly pinned?: readonly string[];
  /** Where the status line goes, every `statusEveryMs` (default 5 s). */
  readonly onStatus: (line: string) => void;
  readonly statusEveryMs?: number;
}

export interface LiveFeed {
  readonly connector: FeedConnector;
  /** Resolves with a message for a person when the feed stops for good while running. */
  readonly failed: Promise<string>;
  /** Flushes what is in hand to the stream and the archive, then closes. */
  stop(): Promise<void>;
}

/** The settings' Alpaca keys, or a ConfigError that says where to get them and which variables to set. */
export function requireAlpacaKeys(settings: FeedSettings): NonNullable<FeedSettings['keys']> {
  if (settings.keys === undefined) {
    throw new ConfigError(
      'the live feed needs Alpaca API keys: set ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY (free at https://app.alpaca.markets, "API keys" on the dashboard).',
    );
  }
  return settings.keys;
}

/**
 * Runs the Alpaca connector for `stockalert feed alpaca` and `npm start -- --live`: checks the keys,
 * starts it, prints its status line, and turns a FeedError into what to do.
 */
export async function startLiveFeed(options: LiveFeedOptions): Promise<LiveFeed> {
  const keys = requireAlpacaKeys(options.settings);
  let sinkFailed: (message: string) => void = () => undefined;
  const sinkFailure = new Promise<string>((resolve) => {
    sinkFailed = resolve;
  });
  const connector = await createAlpacaConnector({
    clients: options.clients,
    names: options.names,
    settings: { ...options.settings, keys },
    logger: options.logger,
    ...(options.pinned && { pinned: options.pinned }),
    onSinkFailure: (error) =>
      sinkFailed(
        `the trades stream kept refusing records (${error instanceof Error ? error.message : String(error)}); see the log.`,
      ),
  });
  try {
    await connector.start();
  } catch (error) {
    await connector.stop().catch(() => undefined);
    if (error instanceof FeedError) throw new LiveFeedError(feedErrorText(error), { cause: error });
    throw error;
  }
  const timer = setInterval(
    () => options.onStatus(statusLine(connector.snapshot())),
    options.statusEveryMs ?? 5_000,
  );
  timer.unref();
  return {
    connector,
    failed: Promise.race([connector.failed.then(feedErrorText), sinkFailure]),
    async stop() {
      clearInterval(timer);
      await connector.stop();
      options.onStatus(statusLine(connector.snapshot()));
    },
  };
}
