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

/**
 * The harness's handle on the runner process: starts it, SIGKILLs it on demand (a fault proxy calls
 * `kill` when it recognises the request to die before), restarts it, and asks it to report when every
 * record on both streams has been handled. Keeps, per stream, when each record first reached a handler.
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
  private drainWaiter: (() => void) | undefined;
  private restarting: Promise<void> = Promise.resolve();

  constructor(private readonly settings: RunnerSettings) {}

  start(): Promise<void> {
    const child = fork(ENTRY, [JSON.stringify(this.settings)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    this.child = child;
    this.startedOnce = new Promise((resolve, reject) => {
      child.once('exit', (code, signal) =>
        reject(new Error(`runner exited (${code ?? signal}) before it started`)),
      );
      child.on('message', (message: RunnerMessage) => {
        if (message.type === 'started') resolve();
        else this.receive(message);
      });
    });
    this.startedOnce.catch(() => undefined);
    return this.startedOnce;
  }

  /**
   * SIGKILLs the runner (no cleanup, no checkpoint) and starts a fresh one once `beforeRestart` has
   * looked at what the dead one left behind. Returns false when no runner was alive to kill.
   */
  kill(beforeRestart: () => Promise<void> = async () => undefined): boolean {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return false;
    this.kills += 1;
    child.kill('SIGKILL');
    this.child = undefined;
    this.restarting = beforeRestart()
      .then(() => this.start())
      .then(() => {
        if (this.drainWaiter) this.send({ type: 'drain' });
      });
    return true;
  }

  /** Resolves once a runner reports every record put so far handled; survives kills on the way. */
  async drained(): Promise<void> {
    await this.restarting;
    await this.startedOnce;
    await new Promise<void>((resolve) => {
      this.drainWaiter = resolve;
      this.send({ type: 'drain' });
    });
  }

  /** Stops the runner cleanly (batches in hand finish). */
  async stop(): Promise<void> {
    await this.restarting.catch(() => undefined);
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private send(command: RunnerCommand): void {
    if (this.child?.connected) this.child.send(command);
  }

  private receive(message: RunnerMessage): void {
    if (message.type === 'drained') {
      const waiter = this.drainWaiter;
      this.drainWaiter = undefined;
      waiter?.();
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
