/**
 * The one definition of StockAlert's AWS resources. The embedded stack creates them from here,
 * and the CDK app maps the same definitions onto its constructs, so the two worlds cannot drift.
 */

export interface ResourceNames {
  readonly tradesStream: string;
  readonly alertsStream: string;
  readonly watchesTable: string;
  readonly alertsTable: string;
  readonly quotesTable: string;
  readonly subscriptionsTable: string;
  readonly checkpointsTable: string;
  readonly recipientsTable: string;
  readonly bucket: string;
  /** On-failure destinations (SQS) of the detector's and the notifier's event sources: poison records, exhausted batches. */
  readonly detectorFailureQueue: string;
  readonly notifierFailureQueue: string;
}

export const DEFAULT_RESOURCE_NAMES: ResourceNames = {
  tradesStream: 'stockalert-trades',
  alertsStream: 'stockalert-alerts',
  watchesTable: 'stockalert-watches',
  alertsTable: 'stockalert-alerts',
  quotesTable: 'stockalert-quotes',
  subscriptionsTable: 'stockalert-subscriptions',
  checkpointsTable: 'stockalert-checkpoints',
  recipientsTable: 'stockalert-recipients',
  bucket: 'stockalert-data',
  detectorFailureQueue: 'stockalert-detector-failures',
  notifierFailureQueue: 'stockalert-notifier-failures',
};

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

export interface TableDefinition {
  readonly nameKey: keyof ResourceNames;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalIndexes?: readonly IndexDefinition[];
  /** Epoch-seconds attribute for DynamoDB TTL (set in infra; dynalite ignores it, so reads filter). */
  readonly ttlAttribute?: string;
}

export interface StreamDefinition {
  readonly nameKey: keyof ResourceNames;
  readonly shardCount: number;
  /** What the partition key is, for readers of this file: the order guarantee follows it. */
  readonly partitionedBy: string;
}

export const WATCHES_BY_SYMBOL_INDEX = 'bySymbol';
/** Alerts by symbol and time (`toTs`), for the alert counts of channel digests. */
export const ALERTS_BY_SYMBOL_INDEX = 'bySymbol';

/** Attribute names of the tables, shared by adapters and infra. */
export const WATCH_KEYS = {
  userKey: 'userKey',
  /** `SYMBOL#window` */
  watchKey: 'watchKey',
  symbol: 'symbol',
  /** `userKey#window` */
  symbolWatchKey: 'symbolWatchKey',
} as const;

export const TABLES = {
  watches: {
    nameKey: 'watchesTable',
    partitionKey: { name: WATCH_KEYS.userKey, type: 'S' },
    sortKey: { name: WATCH_KEYS.watchKey, type: 'S' },
    globalIndexes: [
      {
        indexName: WATCHES_BY_SYMBOL_INDEX,
        partitionKey: { name: WATCH_KEYS.symbol, type: 'S' },
        sortKey: { name: WATCH_KEYS.symbolWatchKey, type: 'S' },
      },
    ],
  },
  alerts: {
    nameKey: 'alertsTable',
    partitionKey: { name: 'userKey', type: 'S' },
    sortKey: { name: 'alertId', type: 'S' },
    globalIndexes: [
      {
        indexName: ALERTS_BY_SYMBOL_INDEX,
        partitionKey: { name: 'symbol', type: 'S' },
        sortKey: { name: 'toTs', type: 'N' },
      },
    ],
    ttlAttribute: 'expiresAt',
  },
  quotes: {
    nameKey: 'quotesTable',
    partitionKey: { name: 'symbol', type: 'S' },
    // `quote` for the latest quote, `bar#<ISO minute>` for minute bars.
    sortKey: { name: 'sk', type: 'S' },
    ttlAttribute: 'expiresAt',
  },
  // One item per channel: the digest settings, plus the conditional "posted" state of its latest period.
  subscriptions: {
    nameKey: 'subscriptionsTable',
    partitionKey: { name: 'channelKey', type: 'S' },
  },
  checkpoints: {
    nameKey: 'checkpointsTable',
    partitionKey: { name: 'streamShard', type: 'S' },
  },
  // Per DM recipient: the cached DM channel id, and whether the platform refuses DMs to them.
  recipients: {
    nameKey: 'recipientsTable',
    partitionKey: { name: 'userKey', type: 'S' },
  },
} as const satisfies Record<string, TableDefinition>;

export const STREAMS = {
  trades: { nameKey: 'tradesStream', shardCount: 2, partitionedBy: 'symbol' },
  alerts: { nameKey: 'alertsStream', shardCount: 1, partitionedBy: 'recipient userKey' },
} as const satisfies Record<string, StreamDefinition>;

export const BUCKET = { nameKey: 'bucket' } as const;

export interface QueueDefinition {
  readonly nameKey: keyof ResourceNames;
  /** What lands here, for readers of this file. */
  readonly holds: string;
}

export const QUEUES = {
  detectorFailures: {
    nameKey: 'detectorFailureQueue',
    holds: 'poison trades records and exhausted detector batches',
  },
  notifierFailures: {
    nameKey: 'notifierFailureQueue',
    holds: 'poison alert events and exhausted notifier batches',
  },
} as const satisfies Record<string, QueueDefinition>;
