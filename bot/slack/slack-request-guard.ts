/**
 * Slack signs `v0:<timestamp>:<body>`, and Bolt checks the signature and refuses timestamps more than
 * 5 minutes old, but a captured request still replays within those 5 minutes, and a timestamp days ahead
 * passes. This guard closes both: a request whose timestamp is further than the window from now, either
 * way, is refused, and so is one whose signature (or trigger_id) was already seen within the window.
 * Seen keys are kept in memory for the window only (bounded): one bot process answers a workspace's
 * requests; several processes behind a load balancer each keep their own.
 */
export type SlackRequestRefusal = 'missing-timestamp' | 'too-old' | 'from-the-future' | 'replay';

export interface SlackRequestGuardOptions {
  /** Default 5 minutes, as Slack recommends. */
  readonly windowMs?: number;
  /** At most this many keys are remembered; the oldest go first. Default 100,000. */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

export class SlackRequestGuard {
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  /** Seen signatures and trigger ids → when they may be forgotten (epoch ms), oldest first. */
  private readonly seen = new Map<string, number>();

  constructor(options: SlackRequestGuardOptions = {}) {
    this.windowMs = options.windowMs ?? 5 * 60_000;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Undefined when the request may be processed (and is remembered), else why it is refused. */
  check(request: {
    readonly timestamp: string | undefined;
    readonly signature: string | undefined;
    readonly triggerId?: string | undefined;
  }): SlackRequestRefusal | undefined {
    const now = this.now();
    const seconds = Number(request.timestamp);
    if (request.timestamp === undefined || !Number.isInteger(seconds)) return 'missing-timestamp';
    const skewMs = seconds * 1000 - now;
    if (skewMs < -this.windowMs) return 'too-old';
    if (skewMs > this.windowMs) return 'from-the-future';
    this.forgetExpired(now);
    const keys = [request.signature, request.triggerId && `trigger:${request.triggerId}`].filter(
      (key): key is string => typeof key === 'string' && key !== '',
    );
    if (keys.some((key) => this.seen.has(key))) return 'replay';
    // A key is needed until its timestamp has left the window.
    const forgetAt = seconds * 1000 + this.windowMs;
    for (const key of keys) this.seen.set(key, forgetAt);
    while (this.seen.size > this.maxKeys) this.seen.delete(this.seen.keys().next().value as string);
    return undefined;
  }

  private forgetExpired(now: number): void {
    for (const [key, forgetAt] of this.seen) {
      if (forgetAt > now) break;
      this.seen.delete(key);
    }
  }
}
