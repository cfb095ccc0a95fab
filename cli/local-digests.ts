import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Cron } from 'croner';
import { ConsoleChannelPoster } from '../pipeline/digest/console-channel-poster.js';
import { renderDigestChart } from '../pipeline/digest/digest-chart.js';
import { digestDeps } from '../pipeline/digest/digest-deps.js';
import { createDigestHandler, type DigestHandler } from '../pipeline/digest/digest-handler.js';
import { customPeriod } from '../pipeline/digest/digest-period.js';
import type { AwsClients } from '../shared/aws/aws-clients.js';
import type { ResourceNames } from '../shared/aws/resources.js';
import type { MessengerSettings } from '../shared/config/messenger-env.js';
import { DIGEST_TIMEZONE } from '../shared/domain/digest-schedule.js';
import type { Logger } from '../shared/ports/logger.js';
import type { SubscriptionRepository } from '../shared/ports/subscription-repository.js';

export interface LocalDigestsOptions {
  readonly clients: AwsClients;
  readonly names: ResourceNames;
  readonly messengers: MessengerSettings;
  readonly logger: Logger;
  /** Where digest charts of the console channel are written (`.local/`). */
  readonly dataDir: string;
  /** Shows a console-channel digest (the chat, or the terminal). */
  readonly show: (text: string) => void;
}

export interface LocalDigests {
  readonly handler: DigestHandler;
  readonly subscriptions: SubscriptionRepository;
  /** Posts one digest of `symbols` over [fromTs, toTs) to the console channel; returns the chart's path. */
  postToConsole(symbols: readonly string[], fromTs: number, toTs: number): Promise<string | undefined>;
  stop(): void;
}

/**
 * The digest stage inside `npm start`: the same handler and wiring as the digest Lambda, ticked once a
 * minute by croner in New York time (the cloud uses an EventBridge Scheduler rule). `protect` skips a
 * tick while the previous one still runs; the per-period claim would make it harmless anyway.
 */
export function startLocalDigests(options: LocalDigestsOptions): LocalDigests {
  let chartPath: string | undefined;
  const consolePoster = new ConsoleChannelPoster(options.show, async (chart) => {
    chartPath = join(options.dataDir, `digest-${Date.now()}.png`);
    await writeFile(chartPath, chart.png);
    return chartPath;
  });
  const deps = digestDeps(options.clients, options.names, options.messengers, options.logger, {
    console: consolePoster,
  });
  const handler = createDigestHandler(deps);
  const cron = new Cron('* * * * *', { timezone: DIGEST_TIMEZONE, protect: true }, async () => {
    try {
      await handler.tick(Date.now());
    } catch (error) {
      options.logger.error('digest tick failed', { error });
    }
  });
  return {
    handler,
    subscriptions: deps.subscriptions,
    async postToConsole(symbols, fromTs, toTs) {
      chartPath = undefined;
      const built = await handler.build(
        {
          channelKey: 'console:demo',
          schedule: { kind: 'daily', hour: 16, minute: 15 },
          symbols,
          createdBy: 'console:demo',
          createdAt: fromTs,
          updatedAt: fromTs,
        },
        customPeriod(fromTs, toTs),
      );
      const digest = { ...built, title: 'StockAlert demo digest' };
      await consolePoster.postDigest('demo', digest, await renderDigestChart(digest));
      return chartPath;
    },
    stop: () => cron.stop(),
  };
}
