import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { CreateStreamCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createCommandCore } from '../../bot/core/command-core.js';
import { createDirectChannelPreparer } from '../../pipeline/notify/platform-messengers.js';
import { produceTrades, type ReplaySpeed } from '../../pipeline/producer/produce-trades.js';
import { createAwsClients } from '../../shared/aws/aws-clients.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoRecipientRepository } from '../../shared/aws/dynamo-recipient-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { type EmbeddedAws, startEmbeddedAws } from '../../shared/aws/embedded-aws.js';
import { provisionResources } from '../../shared/aws/provision-resources.js';
import { DEFAULT_RESOURCE_NAMES } from '../../shared/aws/resources.js';
import type { Alert } from '../../shared/domain/alert.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { Watch } from '../../shared/domain/watch.js';
import { JsonLinesLogger } from '../../shared/log/json-lines-logger.js';
import { FAKE_DISCORD_TOKEN, FakeDiscord } from '../fakes/fake-discord.js';
import { FAKE_SLACK_BOT_TOKEN, FakeSlack } from '../fakes/fake-slack.js';
import { streamingAlerts } from '../oracle/streaming-alerts.js';
import { rememberInFlight } from './crash-window.js';
import { readDeadLetters } from './dead-letter-summary.js';
import { checkWatches, watchThroughDiscord } from './discord-watch-traffic.js';
import { type DeliveredCard, deliveredCards, type Verdict, verdictOf } from './dm-ledger.js';
import { startEmulatorsProcess } from './emulators-child.js';
import { FaultProxy } from './fault-proxy.js';
import {
  type FaultCounts,
  type FaultPlan,
  faultRules,
  newFaultCounts,
  totalFaults,
} from './fault-schedule.js';
import { type LatencySummary, latencySamples, readStream, summarise } from './latency.js';
import { platformFaultsSeen, schedulePlatformBursts } from './platform-bursts.js';
import { RunnerChild, type RunnerWatchdog } from './runner-child.js';
import { watchThroughSlack } from './slack-watch-traffic.js';

export interface SystemRunOptions {
  /** The market data to replay, in time order. */
  readonly trades: readonly Trade[];
  /** Seeded straight into the Watches table. */
  readonly watches: readonly Watch[];
  /** Added through /watch on the Discord bot (with the gateway dropped halfway when the plan says so). */
  readonly discordWatches?: readonly Watch[];
  /** Added through /watch on the Slack bot (Bolt over HTTP). */
  readonly slackWatches?: readonly Watch[];
  readonly speed: ReplaySpeed;
  readonly pollMs: number;
  /** Spread the runner's idle pauses (default true); false polls both streams in phase, as before. */
  readonly pollJitter?: boolean;
  readonly faults: FaultPlan;
  readonly tradesShards?: number;
  /** The notifier's claim lease; short in the CI run so a killed delivery is taken over quickly. */
  readonly claimLeaseMs?: number;
  /** Progress lines (phases, kills), for benches and debugging. */
  readonly log?: (line: string) => void;
  /** Keep the runner's log and dead letters (their folder is logged) instead of deleting them; a failed run keeps them. */
  readonly keepFiles?: boolean;
  /** When to give up on a runner that does not start or stops making progress (default DEFAULT_WATCHDOG). */
  readonly watchdog?: RunnerWatchdog;
  /**
   * Where the embedded AWS stack runs: in processes of their own (default, as AWS's services run on other
   * machines; DynamoDB in one, Kinesis and S3 in another), or in the harness's process beside the fakes and
   * proxies (the set-up before, for comparison).
   */
  readonly emulators?: 'own-process' | 'in-process';
}

export interface SystemRunResult {
  readonly verdict: Verdict;
  readonly latency: LatencySummary;
  readonly faults: FaultCounts;
  readonly faultsInjected: number;
  readonly trades: number;
  readonly rejected: number;
  readonly seconds: number;
  readonly tradesPerSec: number;
  /** Distinct poison records in the dead-letter files. */
  readonly poisonRecords: number;
  /** Batches that exhausted their retries (their alerts are lost), and why (the first few). */
  readonly failedBatches: number;
  readonly failedBatchReasons: readonly string[];
  /** Longest a trades record waited in Kinesis before the detector started on it (iterator age). */
  readonly maxIteratorAgeMs: number;
  readonly tradesShards: number;
  /** How late the runner's timers ran (its event loop blocked), p99 and max ms, when it reported them. */
  readonly runnerLoopDelay?: { readonly p99Ms: number; readonly maxMs: number };
  /** The same for the harness's process (embedded AWS, proxies, fakes, producer): p99 and max ms. */
  readonly harnessLoopDelay: { readonly p99Ms: number; readonly maxMs: number };
}

const silent = new JsonLinesLogger(new Writable({ write: (_c, _e, done) => done() }), 'silent');

/** The alerts an uninterrupted in-memory detector decides on these trades for these watches: the oracle. */
export function expectedAlerts(trades: readonly Trade[], watches: readonly Watch[]): Alert[] {
  const bySymbol = new Map<string, Watch[]>();
  for (const watch of watches) bySymbol.set(watch.symbol, [...(bySymbol.get(watch.symbol) ?? []), watch]);
  return streamingAlerts(trades, bySymbol, {});
}

/**
 * One run of the whole system: the embedded stack behind fault proxies, the fake Discord and Slack, the
 * runner (detector and notifier) as a child process that the schedule may SIGKILL, the producer replaying
 * `trades` from S3, and the verdict of what users received against the oracle.
 */
export async function runSystem(options: SystemRunOptions): Promise<SystemRunResult> {
  const plan = options.faults;
  const log = options.log ?? (() => undefined);
  const names = DEFAULT_RESOURCE_NAMES;
  const dir = await mkdtemp(join(tmpdir(), 'stockalert-system-'));
  const embedded =
    options.emulators === 'in-process' ? await startEmbeddedAws() : await startSplitEmulators();
  const direct = createAwsClients(embedded.connection);
  const discord = await FakeDiscord.start();
  const slack = await FakeSlack.start();
  const counts = newFaultCounts();
  const crashWindow = new Map<string, Set<string>>();
  let runner: RunnerChild | undefined;
  const proxies: FaultProxy[] = [];
  const cleanup: (() => Promise<unknown>)[] = [];
  let failed = true;
  try {
    if (options.tradesShards !== undefined) {
      await direct.kinesis.send(
        new CreateStreamCommand({ StreamName: names.tradesStream, ShardCount: options.tradesShards }),
      );
    }
    await provisionResources(direct, names);
    const killRunner = (kind: string) =>
      runner?.kill(async () => {
        // Either kill point takes the whole process down, the notifier's sends in flight included.
        const at = new Date().toISOString().slice(11, 23);
        const inFlight = await rememberInFlight(direct, names.alertsTable, crashWindow);
        log(
          `killed the runner ${kind} at ${at} (${inFlight.alerts} alerts in flight, ${inFlight.pages} scan pages)`,
        );
      }) ?? false;
    const rules = faultRules(plan, { alerts: names.alertsStream }, counts, killRunner);
    const dynamoProxy = new FaultProxy(embedded.connection.endpoints.dynamodb);
    const kinesisProxy = new FaultProxy(embedded.connection.endpoints.kinesis);
    // The runner's DynamoDB calls and alert emits are its progress (idle GetRecords polls are not).
    dynamoProxy.rule = (call) => {
      runner?.noteProgress();
      return rules.dynamo(call);
    };
    kinesisProxy.rule = (call) => {
      if (call.target.endsWith('.PutRecords')) runner?.noteProgress();
      return rules.kinesis(call);
    };
    // The proxies are the plan's hands on the AWS calls. A plan with no fault there (the latency runs) lets
    // the runner and the producer call the emulators directly, as they would call AWS: a proxy's hop costs
    // the harness's thread an HTTP exchange more per call, 150 idle polls a second at a 20 ms poll.
    let proxied = embedded.connection;
    if (faultsAtAws(plan)) {
      proxies.push(dynamoProxy, kinesisProxy);
      proxied = {
        ...embedded.connection,
        endpoints: {
          ...embedded.connection.endpoints,
          dynamodb: await dynamoProxy.start(),
          kinesis: await kinesisProxy.start(),
        },
      };
    }

    const watches = new DynamoWatchRepository(direct.dynamo, names.watchesTable);
    for (const watch of options.watches) await watches.put(watch);
    const viaDiscord = options.discordWatches ?? [];
    const viaSlack = options.slackWatches ?? [];
    // The bots' command core as `npm run bot` wires it: /watch also opens the user's DM channel.
    const core = createCommandCore({
      watches,
      quotes: new DynamoQuoteRepository(direct.dynamo, names.quotesTable),
      maxWatchesPerUser: 50,
      directMessages: createDirectChannelPreparer(
        {
          discord: { token: FAKE_DISCORD_TOKEN, apiUrl: discord.apiUrl },
          slack: { token: FAKE_SLACK_BOT_TOKEN, apiUrl: slack.apiUrl },
        },
        new DynamoRecipientRepository(direct.dynamo, names.recipientsTable),
        silent,
      ),
    });
    if (viaDiscord.length > 0) {
      const traffic = await watchThroughDiscord(discord, core, viaDiscord, plan.gatewayDrop);
      counts.gatewayDrops += traffic.gatewayDrops;
    }
    if (viaSlack.length > 0) await watchThroughSlack(slack, core, viaSlack);
    const viaCommands = [...viaDiscord, ...viaSlack];
    const allWatches = [...options.watches, ...viaCommands];
    if (viaCommands.length > 0) await checkWatches(watches, allWatches, viaCommands);
    log(
      `${allWatches.length} watches seeded (${viaDiscord.length} through /watch on Discord, ${viaSlack.length} on Slack)`,
    );

    const key = 'system/trades.csv.gz';
    await uploadTrades(direct, names.bucket, key, options.trades, plan.rejectRows);
    counts.rejectRows += plan.rejectRows;

    runner = new RunnerChild(
      {
        connection: proxied,
        names,
        messengers: {
          discord: { token: FAKE_DISCORD_TOKEN, apiUrl: discord.apiUrl },
          slack: { token: FAKE_SLACK_BOT_TOKEN, apiUrl: slack.apiUrl },
        },
        pollMs: options.pollMs,
        pollJitter: options.pollJitter ?? true,
        claimLeaseMs: options.claimLeaseMs ?? 15_000,
        deadLetterDir: join(dir, 'dead-letters'),
        logFile: join(dir, 'runner.log'),
      },
      options.watchdog,
    );
    await runner.start();
    log('runner started');
    cleanup.push(() => runner?.stop() ?? Promise.resolve());

    const producerClients = createAwsClients(proxied);
    cleanup.push(async () => producerClients.destroy());
    const stopBursts = schedulePlatformBursts(plan, discord, slack);
    cleanup.push(async () => stopBursts());
    const startedAt = Date.now();
    const harnessDelay = monitorEventLoopDelay({ resolution: 10 });
    harnessDelay.enable();
    let poisoned = false;
    const summary = await produceTrades({
      s3: producerClients.s3,
      kinesis: producerClients.kinesis,
      bucket: names.bucket,
      key,
      streamName: names.tradesStream,
      speed: options.speed,
      logger: silent,
      writeRejects: false,
      onProgress: (progress) => {
        if (!poisoned && plan.poisonRecords > 0 && progress.trades >= options.trades.length / 2) {
          poisoned = true;
          void putPoison(direct, names.tradesStream, plan.poisonRecords).then(() => {
            counts.poisonRecords += plan.poisonRecords;
          });
        }
      },
    });
    if (!poisoned && plan.poisonRecords > 0) {
      await putPoison(direct, names.tradesStream, plan.poisonRecords);
      counts.poisonRecords += plan.poisonRecords;
    }
    log(`produced ${summary.trades} trades in ${summary.records} records; waiting for the runner to drain`);
    await runner.drained();
    log('drained');
    harnessDelay.disable();
    const seconds = (Date.now() - startedAt) / 1000;
    stopBursts();
    const seen = platformFaultsSeen(discord, slack);
    counts.platform429s += seen.tooMany;
    counts.platform5xx += seen.serverErrors;
    await runner.stop();

    const expected = expectedAlerts(options.trades, allWatches);
    const delivered: DeliveredCard[] = deliveredCards(discord, slack);
    const verdict = verdictOf(expected, delivered, crashWindow);
    const tradeRecords = await readStream(direct.kinesis, names.tradesStream);
    const latency = summarise(
      latencySamples({
        expected,
        delivered,
        trades: tradeRecords,
        alerts: await readStream(direct.kinesis, names.alertsStream),
        handledAt: runner.firstHandled,
        deliveries: runner.deliveries,
        batchSpans: runner.batchSpans,
        tradesStream: names.tradesStream,
        alertsStream: names.alertsStream,
      }),
    );
    const deadLetters = await readDeadLetters(join(dir, 'dead-letters'), [
      names.tradesStream,
      names.alertsStream,
    ]);
    if (deadLetters.failedBatches > 0)
      log(
        `${deadLetters.failedBatches} batches went to the dead-letter files: ${deadLetters.failedBatchReasons.join('; ')}`,
      );
    failed = false;
    return {
      verdict,
      latency,
      faults: counts,
      faultsInjected: totalFaults(counts),
      trades: summary.trades,
      rejected: summary.rejected,
      seconds,
      tradesPerSec: Math.round(summary.trades / seconds),
      poisonRecords: deadLetters.poisonRecords,
      failedBatches: deadLetters.failedBatches,
      failedBatchReasons: deadLetters.failedBatchReasons,
      maxIteratorAgeMs: maxIteratorAge(tradeRecords, runner.firstHandled.get(names.tradesStream)),
      tradesShards: options.tradesShards ?? 2,
      ...(runner.loopDelay && { runnerLoopDelay: runner.loopDelay }),
      harnessLoopDelay: { p99Ms: harnessDelay.percentile(99) / 1e6, maxMs: harnessDelay.max / 1e6 },
    };
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    for (const proxy of proxies) await proxy.stop();
    await slack.stop();
    await discord.stop();
    direct.destroy();
    await embedded.stop();
    if (options.keepFiles || failed) log(`runner log and dead letters kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

/** The CSV the producer replays: the trades as ticks (epoch ms), with `rejects` malformed rows among them. */
async function uploadTrades(
  clients: ReturnType<typeof createAwsClients>,
  bucket: string,
  key: string,
  trades: readonly Trade[],
  rejects: number,
): Promise<void> {
  const lines = ['symbol,timestamp,price,size'];
  const every = Math.max(1, Math.floor(trades.length / (rejects + 1)));
  trades.forEach((trade, index) => {
    if (rejects > 0 && index > 0 && index % every === 0 && index / every <= rejects)
      lines.push(`${trade.symbol},${trade.ts},not-a-price,100`);
    lines.push(`${trade.symbol},${trade.ts},${trade.price},${trade.size}`);
  });
  await clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(`${lines.join('\n')}\n`) }),
  );
}

async function putPoison(
  clients: ReturnType<typeof createAwsClients>,
  stream: string,
  count: number,
): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await clients.kinesis.send(
      new PutRecordCommand({
        StreamName: stream,
        PartitionKey: `POISON${i}`,
        Data: Buffer.from(`\u0007not a trade record ${i}`),
      }),
    );
  }
}

function maxIteratorAge(
  records: readonly { sequenceNumber: string; arrivedAt: number }[],
  handled: ReadonlyMap<string, number> | undefined,
): number {
  let max = 0;
  for (const record of records) {
    const at = handled?.get(record.sequenceNumber);
    if (at !== undefined) max = Math.max(max, at - record.arrivedAt);
  }
  return max;
}

/** Whether the plan injects anything at the AWS calls (errors or kill points); a latency run does not. */
function faultsAtAws(plan: FaultPlan): boolean {
  return (
    plan.dynamoErrorShare > 0 ||
    plan.kinesisErrorShare > 0 ||
    plan.killBeforeEmitAt.length > 0 ||
    plan.killBeforeDeliveryRecordAt.length > 0
  );
}

/**
 * DynamoDB in one process, Kinesis and S3 in another, sharing one key pair: a burst's DynamoDB calls do not
 * queue behind kinesalite's idle polls (150 a second at a 20 ms poll) on one thread.
 */
async function startSplitEmulators(): Promise<EmbeddedAws> {
  const dynamo = await startEmulatorsProcess();
  const rest = await startEmulatorsProcess(dynamo.connection.credentials).catch(async (error: unknown) => {
    await dynamo.stop();
    throw error;
  });
  return {
    connection: {
      ...rest.connection,
      endpoints: { ...rest.connection.endpoints, dynamodb: dynamo.connection.endpoints.dynamodb },
    },
    async stop() {
      await Promise.all([dynamo.stop(), rest.stop()]);
    },
  };
}
