import type { AwsClients } from '../../shared/aws/aws-clients.js';
import { DynamoLiveFeedStatus } from '../../shared/aws/dynamo-live-feed-status.js';
import { DynamoWatchedSymbols } from '../../shared/aws/dynamo-watched-symbols.js';
import type { ResourceNames } from '../../shared/aws/resources.js';
import type { FeedSettings } from '../../shared/config/feed-env.js';
import type { Logger } from '../../shared/ports/logger.js';
import { KinesisRecordSender } from '../producer/kinesis-record-sender.js';
import { ShardMap } from '../producer/shard-map.js';
import { TradePacker } from '../producer/trade-packer.js';
import { AlpacaMarketFeed } from './alpaca-market-feed.js';
import { AlpacaTradeHistory } from './alpaca-trade-history.js';
import { FeedConnector, type TradeOutlet } from './feed-connector.js';
import { FeedTradeWriter } from './feed-trade-writer.js';
import { TradeArchive } from './trade-archive.js';

export interface AlpacaConnectorRequest {
  readonly clients: AwsClients;
  readonly names: ResourceNames;
  readonly settings: FeedSettings & { readonly keys: NonNullable<FeedSettings['keys']> };
  readonly logger: Logger;
  /** Symbols always on trades (`--symbols`). */
  readonly pinned?: readonly string[];
  /** Heartbeat and reconnect timings (tests shorten them). */
  readonly timings?: {
    readonly pingIntervalMs?: number;
    readonly pongWaitMs?: number;
    readonly initialReconnectMs?: number;
    readonly maxReconnectMs?: number;
    readonly pollMs?: number;
    /** How often partial records are packed and queued (default 100 ms; at most 200). */
    readonly flushEveryMs?: number;
    /** Turns per flush interval: the symbols are drained a share at a time (default 4). */
    readonly flushTurns?: number;
  };
  /** Called when Kinesis keeps refusing a record (the connector should stop). */
  readonly onSinkFailure?: (error: unknown) => void;
}

/**
 * The one wiring of the Alpaca connector, used by `stockalert feed alpaca`, `npm start -- --live`, the
 * tests and the benchmark: the producer's packer and ordered sender onto the trades stream, the hourly
 * archive, the watched-symbols directory and the status item.
 */
export async function createAlpacaConnector(request: AlpacaConnectorRequest): Promise<FeedConnector> {
  const { clients, names, settings, logger, timings = {} } = request;
  const shards = await ShardMap.load(clients.kinesis, names.tradesStream);
  const writer = new FeedTradeWriter({
    packer: new TradePacker('binary'),
    ...(timings.flushEveryMs !== undefined && { flushEveryMs: Math.min(timings.flushEveryMs, 200) }),
    ...(timings.flushTurns !== undefined && { turns: timings.flushTurns }),
    // A live feed cannot be replayed from a checkpoint: keep retrying a throttled record for long.
    sink: new KinesisRecordSender(clients.kinesis, names.tradesStream, shards, { maxAttempts: 30 }),
    onFailure: (error) => {
      logger.error('trades stream refused records', { error });
      request.onSinkFailure?.(error);
    },
  });
  const outlets: TradeOutlet[] = [writer];
  if (settings.archive) outlets.push(new TradeArchive(clients.s3, names.bucket));
  const feedName = settings.feed;
  return new FeedConnector({
    feed: new AlpacaMarketFeed({
      ...settings.keys,
      feed: feedName,
      ...(settings.streamUrl !== undefined && { url: settings.streamUrl }),
      ...timings,
    }),
    history: new AlpacaTradeHistory({
      ...settings.keys,
      feed: feedName === 'sip' ? 'sip' : 'iex',
      ...(settings.dataUrl !== undefined && { baseUrl: settings.dataUrl }),
    }),
    watched: new DynamoWatchedSymbols(clients.dynamo, names.watchesTable),
    status: new DynamoLiveFeedStatus(clients.dynamo, names.watchesTable),
    outlets,
    logger,
    plan: {
      maxTradeSymbols: settings.maxTradeSymbols,
      allBars: settings.allBars,
      ...(request.pinned && { pinned: request.pinned }),
    },
    ...(timings.pollMs !== undefined && { pollMs: timings.pollMs }),
  });
}
