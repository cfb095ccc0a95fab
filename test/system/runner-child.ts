import { type ChildProcess, fork } from 'node:child_process';
import type { DeliveryTiming } from '../../pipeline/notify/delivery-timing.js';
import type { RunnerCommand, RunnerMessage, RunnerSettings } from './runner-process.js';

/** One batch's handler run; endedAt is 0 until it returns. */
export interface BatchSpan {
  readonly firstSequenceNumber: string;
  readonly startedAt: number;
  endedAt: number;
  readonly records: number;
}

const ENTRY = new URL('./runner-process.ts', import.meta.url).pathname;

export interface RunnerWatchdog {
  /** How long a runner may take from fork to `started` (tsx compiles it first; slow on a loaded machine). */
  readonly readyTimeoutMs: number;
  /** How long a runner waiting to drain may go without progress (a batch reaching a handler, `noteProgress`). */
  readonly stallTimeoutMs: number;
}

/** Generous on a loaded 2-core machine, where a start took up to 20 s and a full-speed batch tens of seconds. */
export const DEFAULT_WATCHDOG: RunnerWatchdog = { readyTimeoutMs: 90_000, stallTimeoutMs: 90_000 };

/** The runner never got going, died on its own, or stopped making progress: the run cannot be judged. */
export class RunnerFailedError extends Error {
  override readonly name = 'RunnerFailedError';
}

/**
 * The harness's handle on the runner process: starts it, SIGKILLs it on demand (a fault proxy calls
 * `kill` when it recognises the request to die before), restarts it, and asks it to report when every
 * record on both streams has been handled. Keeps, per stream, when each record first reached a handler.
 * Fails fast, with the runner's log named, when a runner does not start, exits unbidden, or stalls.
 */
export class RunnerChild {
  /** stream → sequence number → when a handler first started on it (epoch ms). */
  readonly firstHandled = new Map<string, Map<string, number>>();
  /** stream → each batch's handler span (epoch ms), in the order they ran. */
  readonly batchSpans = new Map<string, BatchSpan[]>();
  /** alert id → the step timings of the DM that first delivered it. */
  readonly deliveries = new Map<string, DeliveryTiming>();
  /** The runner's event-loop delay at its last drain (p99 and max, ms). */
  loopDelay: { p99Ms: number; maxMs: number } | undefined;
  kills = 0;
  private child: ChildProcess | undefined;
  private startedOnce: Promise<void> | undefined;
  private drainWaiter: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private restarting: Promise<void> = Promise.resolve();
  private lastProgressAt = Date.now();
  /** Between a kill and the new runner's `started`: the ready timeout watches that, not the stall watchdog. */
  private replacing = false;
  private stopping = false;

  constructor(
    private readonly settings: RunnerSettings,
    private readonly watchdog: RunnerWatchdog = DEFAULT_WATCHDOG,
  ) {}

  start(): Promise<void> {
    const child = fork(ENTRY, [JSON.stringify(this.settings)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    this.child = child;
    this.startedOnce = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          this.failure(
            `the runner (pid ${child.pid}) did not report ready within ${this.watchdog.readyTimeoutMs / 1000} s`,
          ),
        );
      }, this.watchdog.readyTimeoutMs);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(this.failure(`the runner exited (${code ?? signal}) before it started`));
        // A runner that dies on its own later (not killed or stopped by the harness) fails the drain.
        if (this.child === child && !this.stopping)
          this.drainWaiter?.reject(this.failure(`the runner exited (${code ?? signal}) on its own`));
      });
      child.on('message', (message: RunnerMessage) => {
        this.lastProgressAt = Date.now();
        if (message.type === 'started') {
          clearTimeout(timer);
          resolve();
        } else this.receive(message);
      });
    });
    this.startedOnce.catch(() => undefined);
    return this.startedOnce;
  }

  /** Something the runner did that counts as progress (its AWS calls, seen by the fault proxies). */
  noteProgress(): void {
    this.lastProgressAt = Date.now();
  }

  /**
   * SIGKILLs the runner (no cleanup, no checkpoint) and starts a fresh one once `beforeRestart` has
   * looked at what the dead one left behind. Returns false when no runner was alive to kill.
   */
  kill(beforeRestart: () => Promise<void> = async () => undefined): boolean {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return false;
    this.kills += 1;
    this.child = undefined;
    this.replacing = true;
    child.kill('SIGKILL');
    this.restarting = beforeRestart()
      .then(() => this.start())
      .then(
        () => {
          if (this.drainWaiter) this.send({ type: 'drain' });
        },
        (error: Error) => this.drainWaiter?.reject(error),
      )
      .finally(() => {
        this.replacing = false;
        this.lastProgressAt = Date.now();
      });
    return true;
  }

  /**
   * Resolves once a runner reports every record put so far handled; survives kills on the way. Rejects
   * (RunnerFailedError) when a runner does not start, exits on its own, or makes no progress for
   * `stallTimeoutMs`, instead of waiting for ever on a run that delivers nothing.
   */
  async drained(): Promise<void> {
    await this.restarting;
    await this.startedOnce;
    this.lastProgressAt = Date.now();
    let watch: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.drainWaiter = { resolve, reject };
        watch = setInterval(() => {
          const idleMs = Date.now() - this.lastProgressAt;
          if (this.replacing || idleMs <= this.watchdog.stallTimeoutMs) return;
          // A stalled runner cannot be judged, nor trusted to stop: it goes now.
          this.stopping = true;
          this.child?.kill('SIGKILL');
          reject(
            this.failure(
              `the runner made no progress for ${Math.round(idleMs / 1000)} s while draining (no batch reached a handler, no DynamoDB call)`,
            ),
          );
        }, 1_000);
        this.send({ type: 'drain' });
      });
    } finally {
      clearInterval(watch);
      this.drainWaiter = undefined;
    }
  }

  /** Stops the runner cleanly (batches in hand finish). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting.catch(() => undefined);
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private failure(what: string): RunnerFailedError {
    return new RunnerFailedError(
      `${what}; the run cannot be judged. Its log: ${this.settings.logFile} (keep it with keepFiles / --keep-files).`,
    );
  }

  private send(command: RunnerCommand): void {
    if (this.child?.connected) this.child.send(command);
  }

  private receive(message: RunnerMessage): void {
    if (message.type === 'drained') {
      this.drainWaiter?.resolve();
    } else if (message.type === 'batchEnd') {
      const spans = this.batchSpans.get(message.stream);
      const open = spans?.findLast((span) => span.firstSequenceNumber === message.firstSequenceNumber);
      if (open) open.endedAt = message.endedAt;
    } else if (message.type === 'delivery') {
      for (const id of message.timing.alertIds) {
        if (!this.deliveries.has(id)) this.deliveries.set(id, message.timing);
      }
    } else if (message.type === 'loopDelay') {
      this.loopDelay = { p99Ms: message.p99Ms, maxMs: message.maxMs };
    } else if (message.type === 'batch') {
      let seen = this.firstHandled.get(message.stream);
      if (seen === undefined) {
        seen = new Map();
        this.firstHandled.set(message.stream, seen);
      }
      for (const sequence of message.sequenceNumbers) {
        if (!seen.has(sequence)) seen.set(sequence, message.startedAt);
      }
      let spans = this.batchSpans.get(message.stream);
      if (spans === undefined) {
        spans = [];
        this.batchSpans.set(message.stream, spans);
      }
      spans.push({
        firstSequenceNumber: message.sequenceNumbers[0] ?? '',
        startedAt: message.startedAt,
        endedAt: 0,
        records: message.sequenceNumbers.length,
      });
    }
  }
}
