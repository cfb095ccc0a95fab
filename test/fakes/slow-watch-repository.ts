import type { Watch } from '../../shared/domain/watch.js';
import type { WindowName } from '../../shared/domain/window.js';
import type { SaveWatchOutcome, WatchRepository } from '../../shared/ports/watch-repository.js';

/**
 * The real repository with storage latency added before every call, as a throttled or distant DynamoDB
 * would have. `latencyMs` can be changed between commands.
 */
export class SlowWatchRepository implements WatchRepository {
  latencyMs = 0;
  /** Completed calls, in order, with when each finished (epoch ms). */
  readonly completed: { readonly call: string; readonly at: number }[] = [];

  constructor(private readonly inner: WatchRepository) {}

  put(watch: Watch): Promise<void> {
    return this.slow('put', () => this.inner.put(watch));
  }
  save(watch: Watch, maxPerUser: number): Promise<SaveWatchOutcome> {
    return this.slow('save', () => this.inner.save(watch, maxPerUser));
  }
  remove(userKey: string, symbol: string, window?: WindowName): Promise<number> {
    return this.slow('remove', () => this.inner.remove(userKey, symbol, window));
  }
  listByUser(userKey: string): Promise<Watch[]> {
    return this.slow('listByUser', () => this.inner.listByUser(userKey));
  }
  listBySymbol(symbol: string): Promise<Watch[]> {
    return this.slow('listBySymbol', () => this.inner.listBySymbol(symbol));
  }

  private async slow<T>(call: string, run: () => Promise<T>): Promise<T> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const result = await run();
    this.completed.push({ call, at: Date.now() });
    return result;
  }
}
