import { setBounded } from '../../shared/collections/bounded-map.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { DmBlock, RecipientRepository } from '../../shared/ports/recipient-repository.js';

/** Enough for every recipient a notifier instance serves; the oldest entry goes first beyond it. */
const MAX_CHANNELS = 50_000;

/**
 * The recipients' DM channel ids kept in memory in front of the table: a DM channel id does not change,
 * so after a recipient's first DM the send no longer waits for a table read (one DynamoDB round trip
 * before every DM; docs/architecture.md, "System proof"). A newly opened channel is remembered at once
 * and written to the table behind the DM, not before it: a first DM no longer waits for that write, and
 * a write that fails only means the platform is asked for the same channel again after a restart
 * (logged). A channel the platform no longer knows is opened again and saved through here, which
 * replaces the cached id. Blocks are not cached: the bot clears them from another process.
 *
 * The recipients not in memory that are asked for in one turn of the event loop are read together, in one
 * batch read when the table has one (`dmChannels`): at a market's first big move, one alert batch reaches
 * 20–40 users at once, and their 20–40 reads queued beside the claims on the same DynamoDB (a single
 * thread on the embedded stack; docs/architecture.md, "Push latency, third round"). A recipient already
 * being read joins that read.
 */
export class CachedDmChannels implements RecipientRepository {
  private readonly channels = new Map<string, string>();
  private readonly writes = new Set<Promise<void>>();
  private readonly reading = new Map<string, Promise<string | undefined>>();
  /** Recipients waiting for the next batch read, and how to answer each. */
  private waiting: Map<string, Waiter> | undefined;

  constructor(
    private readonly table: RecipientRepository,
    private readonly logger?: Logger,
  ) {}

  async dmChannel(userKey: string): Promise<string | undefined> {
    const cached = this.channels.get(userKey);
    if (cached !== undefined) return cached;
    const inFlight = this.reading.get(userKey);
    if (inFlight !== undefined) return inFlight;
    const read: Promise<string | undefined> = this.read(userKey)
      .then((stored) => {
        // A channel saved while the read was in flight is newer than what the read found.
        const saved = this.channels.get(userKey);
        if (saved !== undefined) return saved;
        if (stored !== undefined) this.remember(userKey, stored);
        return stored;
      })
      .finally(() => {
        if (this.reading.get(userKey) === read) this.reading.delete(userKey);
      });
    this.reading.set(userKey, read);
    return read;
  }

  async saveDmChannel(userKey: string, channelId: string): Promise<void> {
    this.remember(userKey, channelId);
    const write: Promise<void> = this.table
      .saveDmChannel(userKey, channelId)
      .catch((error: unknown) => {
        this.logger?.warn('dm channel not saved, it will be opened again after a restart', {
          userKey,
          error,
        });
      })
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /** Waits for the table writes in flight. */
  async flush(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  markBlocked(userKey: string, block: DmBlock): Promise<void> {
    return this.table.markBlocked(userKey, block);
  }

  blocked(userKey: string): Promise<DmBlock | undefined> {
    return this.table.blocked(userKey);
  }

  clearBlocked(userKey: string): Promise<void> {
    return this.table.clearBlocked(userKey);
  }

  private read(userKey: string): Promise<string | undefined> {
    if (this.table.dmChannels === undefined) return this.table.dmChannel(userKey);
    return new Promise((resolve, reject) => {
      if (this.waiting === undefined) {
        this.waiting = new Map();
        setImmediate(() => this.readWaiting());
      }
      this.waiting.set(userKey, { resolve, reject });
    });
  }

  private readWaiting(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting === undefined || this.table.dmChannels === undefined) return;
    this.table.dmChannels([...waiting.keys()]).then(
      (found) => {
        for (const [userKey, waiter] of waiting) waiter.resolve(found.get(userKey));
      },
      (error: unknown) => {
        for (const waiter of waiting.values()) waiter.reject(error);
      },
    );
  }

  private remember(userKey: string, channelId: string): void {
    setBounded(this.channels, userKey, channelId, MAX_CHANNELS);
  }
}

interface Waiter {
  resolve(channelId: string | undefined): void;
  reject(error: unknown): void;
}
