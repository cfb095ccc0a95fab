import { parseChannelKey } from '../../shared/domain/channel-key.js';
import type { Subscription } from '../../shared/domain/subscription.js';
import type { Platform } from '../../shared/domain/user-key.js';
import type { DigestPoster, DigestPostOutcome } from '../../shared/ports/digest-poster.js';
import type { AlertCounter, CommunitySymbols } from '../../shared/ports/digest-sources.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { QuoteStore } from '../../shared/ports/quote-store.js';
import type { SubscriptionRepository } from '../../shared/ports/subscription-repository.js';
import { buildDigest } from './build-digest.js';
import { type ChannelPoster, ChannelUnreachableError } from './channel-poster.js';
import type { Digest, DigestBar } from './digest.js';
import { renderDigestChart } from './digest-chart.js';
import { type DigestPeriod, duePeriod, periodSoFar } from './digest-period.js';

export interface DigestHandlerDeps {
  readonly subscriptions: SubscriptionRepository;
  readonly quotes: Pick<QuoteStore, 'minuteBarsBetween'>;
  readonly alerts: AlertCounter;
  readonly communitySymbols: CommunitySymbols;
  /** One poster per platform with credentials; a channel of another platform is skipped and logged. */
  readonly posters: Partial<Record<Platform, ChannelPoster>>;
  readonly logger: Logger;
  /** A claim older than this is taken over (its run crashed before posting). Default 10 minutes. */
  readonly leaseMs?: number;
  /** How late a tick may be and still post a period. Default 30 minutes. */
  readonly graceMs?: number;
  /** Epoch ms, for `/digest now` and the unreachable record. Default `Date.now`. */
  readonly now?: () => number;
}

export interface TickSummary {
  readonly due: number;
  readonly posted: number;
  /** Already posted by an earlier or overlapping run. */
  readonly skipped: number;
  /** Channels recorded as unreachable (now or before). */
  readonly unreachable: number;
  /** Transient failures; the claim is released so that the next tick retries. */
  readonly failed: number;
}

export interface DigestHandler extends DigestPoster {
  /** One scheduled tick at `nowTs`: posts every subscription that is due, once per (channel, period). */
  tick(nowTs: number): Promise<TickSummary>;
  /** Builds the digest a subscription would get for `period`, without posting. */
  build(subscription: Subscription, period: DigestPeriod): Promise<Digest>;
}

const DEFAULT_LEASE_MS = 10 * 60_000;

/**
 * The digest stage. At each tick it lists the subscriptions, keeps those whose period is due, claims
 * each (channel, period) with a conditional write, builds the digest from minute bars and alert counts,
 * and posts it. One channel's failure never fails the run: a channel that refuses the bot for good is
 * recorded (the next `/digest` there says so) and skipped until someone turns the digest on again.
 */
export function createDigestHandler(deps: DigestHandlerDeps): DigestHandler {
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const now = deps.now ?? Date.now;

  async function build(subscription: Subscription, period: DigestPeriod): Promise<Digest> {
    const symbols =
      subscription.symbols.length > 0
        ? [...subscription.symbols]
        : await deps.communitySymbols.watchedIn(subscription.channelKey);
    const bars = new Map<string, DigestBar[]>();
    const alertCounts = new Map<string, number>();
    if (period.closure === undefined) {
      await Promise.all(
        symbols.map(async (symbol) => {
          bars.set(symbol, await deps.quotes.minuteBarsBetween(symbol, period.fromTs, period.toTs));
          alertCounts.set(symbol, await deps.alerts.countAlerts(symbol, period.fromTs, period.toTs));
        }),
      );
    }
    const title =
      subscription.schedule.kind === 'hourly' ? 'StockAlert hourly digest' : 'StockAlert daily digest';
    return buildDigest({ title, period, bars, alertCounts });
  }

  /** Posts; an unreachable channel is recorded on the subscription and reported, other errors thrown. */
  async function post(subscription: Subscription, period: DigestPeriod): Promise<DigestPostOutcome> {
    const channel = parseChannelKey(subscription.channelKey);
    const poster = channel === undefined ? undefined : deps.posters[channel.platform];
    if (channel === undefined || poster === undefined) {
      const code = channel === undefined ? 'bad-channel-key' : `no-${channel.platform}-credentials`;
      await deps.subscriptions.markUnreachable(subscription.channelKey, code, now());
      return { kind: 'unreachable', code };
    }
    const digest = await build(subscription, period);
    const chart = await renderDigestChart(digest);
    try {
      await poster.postDigest(channel.channelId, digest, chart);
    } catch (error) {
      if (!(error instanceof ChannelUnreachableError)) throw error;
      await deps.subscriptions.markUnreachable(subscription.channelKey, error.code, now());
      deps.logger.warn('digest channel unreachable', {
        channelKey: subscription.channelKey,
        code: error.code,
      });
      return { kind: 'unreachable', code: error.code };
    }
    return { kind: 'posted', symbols: digest.rows.length };
  }

  async function tick(nowTs: number): Promise<TickSummary> {
    const summary = { due: 0, posted: 0, skipped: 0, unreachable: 0, failed: 0 };
    for (const subscription of await deps.subscriptions.listAll()) {
      const period = duePeriod(subscription.schedule, nowTs, deps.graceMs);
      if (period === undefined) continue;
      summary.due += 1;
      if (subscription.unreachable !== undefined) {
        summary.unreachable += 1;
        continue;
      }
      const claim = await deps.subscriptions.claimPeriod(subscription.channelKey, period.toTs, leaseMs);
      if (claim !== 'claimed') {
        summary.skipped += 1;
        continue;
      }
      try {
        const outcome = await post(subscription, period);
        await deps.subscriptions.finishPeriod(subscription.channelKey, period.toTs);
        if (outcome.kind === 'posted') summary.posted += 1;
        else summary.unreachable += 1;
      } catch (error) {
        summary.failed += 1;
        deps.logger.error('digest post failed', {
          channelKey: subscription.channelKey,
          period: period.key,
          error,
        });
        await deps.subscriptions.releasePeriod(subscription.channelKey, period.toTs).catch(() => undefined);
      }
    }
    deps.logger.info('digest tick', { at: new Date(nowTs).toISOString(), ...summary });
    return summary;
  }

  return {
    tick,
    build,
    async postNow(subscription) {
      const outcome = await post(subscription, periodSoFar(subscription.schedule, now()));
      if (outcome.kind === 'posted' && subscription.unreachable !== undefined) {
        // It works again: save() clears the recorded refusal.
        await deps.subscriptions.save(subscription);
      }
      return outcome;
    },
  };
}
