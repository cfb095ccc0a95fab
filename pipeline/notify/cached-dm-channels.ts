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
 */
export class CachedDmChannels implements RecipientRepository {
  private readonly channels = new Map<string, string>();
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly table: RecipientRepository,
    private readonly logger?: Logger,
  ) {}

  async dmChannel(userKey: string): Promise<string | undefined> {
    const cached = this.channels.get(userKey);
    if (cached !== undefined) return cached;
    const stored = await this.table.dmChannel(userKey);
    if (stored !== undefined) this.remember(userKey, stored);
    return stored;
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

  private remember(userKey: string, channelId: string): void {
    setBounded(this.channels, userKey, channelId, MAX_CHANNELS);
  }
}
