import { ConsoleChat } from '../bot/console/console-chat.js';
import { DEMO_DURATION_MS, DEMO_SESSION_START, DEMO_SYMBOLS } from '../pipeline/demo/demo-trades.js';
import type { ProduceSummary } from '../pipeline/producer/produce-trades.js';
import type { Watch } from '../shared/domain/watch.js';
import type { LocalDigests } from './local-digests.js';
import type { LocalStack } from './local-stack.js';
import type { StopSignal } from './stop-signal.js';

/** The demo watch: the console user hears of the demo's BAC sell-off. */
export async function seedDemoWatch(
  stack: LocalStack,
  userKey: string,
  say: (text: string) => void,
): Promise<void> {
  const watch: Watch = {
    userKey,
    symbol: 'BAC',
    thresholdPct: 3,
    window: '15m',
    direction: 'both',
    hours: 'all',
    createdAt: Date.now(),
  };
  await stack.pipeline.watches.put(watch);
  say(`demo watch for ${userKey}: /watch BAC 3% 15m (remove it with /unwatch BAC)`);
}

/** The console chat on stdin/stdout; closing it (Ctrl-D, Ctrl-C) stops the command. */
export function openConsoleChat(stack: LocalStack, userKey: string, stop: StopSignal): ConsoleChat {
  const chat = new ConsoleChat({
    core: stack.core,
    input: process.stdin,
    output: process.stdout,
    userKey,
    logger: stack.logger,
    onClose: stop.stop,
  });
  stack.attachChat(chat);
  return chat;
}

/** `--once`: waits for the replay, then for detection and delivery (or a stop), and returns the summary. */
export async function finishOnce(
  stack: LocalStack,
  replay: Promise<ProduceSummary>,
  stop: StopSignal,
  details: {
    readonly label: string;
    readonly startedAt: number;
    readonly say: (text: string) => void;
    /** The demo data: its ending posts one digest of the replayed hour. */
    readonly demo: boolean;
  },
) {
  const replayed = await replay;
  details.say(
    `replayed ${replayed.trades.toLocaleString('en-US')} trades (${replayed.rejected} rejected); waiting for detection and delivery…`,
  );
  const drained = stack.pipeline.drained();
  // A stop first: the runners' shutdown then rejects drained(), which nobody awaits any more.
  drained.catch(() => undefined);
  await Promise.race([drained, stop.stopped]);
  if (details.demo && !stop.interrupted) await postDemoDigest(stack.digests, details.say);
  const { detectorStats, notifierStats } = stack.pipeline;
  return {
    data: details.label,
    trades: replayed.trades,
    rejected: replayed.rejected,
    records: replayed.records,
    tradesDetected: detectorStats.trades,
    alerts: detectorStats.alertsCreated,
    alertsAlreadyRecorded: detectorStats.alertsAlreadyKnown,
    delivered: notifierStats.delivered,
    deliveryFailures: notifierStats.failed,
    poisonRecords: detectorStats.poisonRecords + notifierStats.poisonRecords,
    seconds: Number(((Date.now() - details.startedAt) / 1000).toFixed(1)),
    interrupted: stop.interrupted,
  };
}

/** In the chat: how the replay ended, while the pipeline keeps watching. */
export function reportReplayInChat(
  replay: Promise<ProduceSummary>,
  chat: ConsoleChat | undefined,
  stack: LocalStack,
  details: { readonly demo: boolean; readonly say: (text: string) => void },
): void {
  replay.then(
    (summary) => {
      const counts = `${summary.trades.toLocaleString('en-US')} trades${summary.rejected ? `, ${summary.rejected} rejected` : ''}`;
      if (!summary.aborted) chat?.showNotice(`replay finished: ${counts}. Still watching — Ctrl-C quits.`);
      if (!summary.aborted && details.demo) {
        const show = (text: string) => (chat ? chat.showNotice(text) : details.say(text));
        // A stop before the pipeline drains rejects drained(): then there is no demo ending to post.
        void stack.pipeline.drained().then(
          () => postDemoDigest(stack.digests, show),
          () => undefined,
        );
      }
    },
    (error: unknown) => {
      stack.logger.error('replay failed', { error });
      chat?.showNotice(`replay failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
}

/** The demo's ending: one digest of the replayed hour in the console, its chart in the data folder. */
async function postDemoDigest(digests: LocalDigests, say: (text: string) => void): Promise<void> {
  try {
    const chart = await digests.postToConsole(
      DEMO_SYMBOLS,
      DEMO_SESSION_START,
      DEMO_SESSION_START + DEMO_DURATION_MS,
    );
    if (chart === undefined) say('demo digest: no chart (no minute bars were written)');
  } catch (error) {
    say(`demo digest failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
