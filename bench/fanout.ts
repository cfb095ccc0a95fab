/**
 * `npm run bench:fanout`: 1,000 watchers of one symbol that crashes, end to end on the embedded stack —
 * demo trades → detector → alerts stream → notifier → DMs through the real @discordjs/rest against the
 * fake Discord, which enforces a global limit of 50 requests/s with 429s. `boundSeconds` is the least
 * time that limit allows for the requests the delivery needed; `ratio` = seconds / boundSeconds.
 * A second scenario delivers the same through @slack/web-api to the fake Slack (no rate limit there:
 * its figure is the notifier's own throughput). Writes bench/results/fanout.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { uploadTradesSource } from '../cli/trades-object.js';
import { LocalPipeline } from '../pipeline/local/local-pipeline.js';
import { MessengerRouter } from '../pipeline/notify/messenger-router.js';
import { createPlatformMessengers } from '../pipeline/notify/platform-messengers.js';
import { DynamoRecipientRepository } from '../shared/aws/dynamo-recipient-repository.js';
import { FAKE_DISCORD_TOKEN, FakeDiscord } from '../test/fakes/fake-discord.js';
import type { RecordedCall } from '../test/fakes/fake-http-server.js';
import { FAKE_SLACK_BOT_TOKEN, FAKE_SLACK_TEAM_ID, FakeSlack } from '../test/fakes/fake-slack.js';
import { startTestAws } from '../test/helpers/embedded-aws.js';
import { memoryLogger } from '../test/helpers/local-pipeline-harness.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const RESULTS = fileURLToPath(new URL('./results/fanout.json', import.meta.url));
const WATCHERS = 1000;
const GLOBAL_LIMIT_PER_SECOND = 50;

interface ScenarioResult {
  platform: 'discord' | 'slack';
  watchers: number;
  delivered: number;
  duplicates: number;
  failed: number;
  requests: number;
  rejected429: number;
  seconds: number;
  boundSeconds: number | null;
  ratio: number | null;
}

async function scenario(platform: 'discord' | 'slack'): Promise<ScenarioResult> {
  const aws = await startTestAws();
  const discord = await FakeDiscord.start();
  const slack = await FakeSlack.start();
  try {
    if (platform === 'discord') discord.enforceGlobalLimit(GLOBAL_LIMIT_PER_SECOND);
    const { logger } = memoryLogger();
    const recipients = new DynamoRecipientRepository(aws.clients.dynamo, aws.names.recipientsTable);
    const messenger = new MessengerRouter(
      createPlatformMessengers(
        {
          discord: { token: FAKE_DISCORD_TOKEN, apiUrl: discord.apiUrl },
          slack: { token: FAKE_SLACK_BOT_TOKEN, apiUrl: slack.apiUrl },
        },
        recipients,
        logger,
      ),
    );
    const pipeline = new LocalPipeline({
      clients: aws.clients,
      names: aws.names,
      messenger,
      logger,
      region: aws.connection.region,
      watcherCacheTtlMs: 60_000,
      idlePollMs: 20,
    });
    const userKeys = Array.from({ length: WATCHERS }, (_, i) =>
      platform === 'discord'
        ? `discord:${400000000000000000n + BigInt(i)}`
        : `slack:${FAKE_SLACK_TEAM_ID}:U${String(i).padStart(8, '0')}`,
    );
    for (const userKey of userKeys) {
      await pipeline.watches.put({
        userKey,
        symbol: 'BAC',
        thresholdPct: 3,
        window: '15m',
        direction: 'down',
        hours: 'all',
        createdAt: Date.now(),
      });
    }
    const { key } = await uploadTradesSource(aws.clients.s3, aws.names.bucket, { kind: 'demo' });
    await pipeline.start();
    const progress = setInterval(() => {
      process.stderr.write(`  ${platform}: ${pipeline.notifierStats.delivered} of ${WATCHERS} delivered\n`);
    }, 5000);
    try {
      await pipeline.replay({ bucket: aws.names.bucket, key, speed: 'max' });
      await pipeline.drained();
    } finally {
      clearInterval(progress);
      await pipeline.stop();
    }
    const calls = (platform === 'discord' ? discord.http.calls : slack.http.calls).filter(isDeliveryCall);
    const accepted = calls.filter((call) => call.response?.status === 200);
    const first = Math.min(...calls.map((call) => call.receivedAt));
    const last = Math.max(...calls.map((call) => call.receivedAt));
    const seconds = (last - first) / 1000;
    const perChannel = [...(platform === 'discord' ? discord.messages.values() : slack.messages.values())];
    const boundSeconds = platform === 'discord' ? (accepted.length - 1) / GLOBAL_LIMIT_PER_SECOND : null;
    return {
      platform,
      watchers: WATCHERS,
      delivered: pipeline.notifierStats.delivered,
      duplicates: perChannel.reduce((sum, messages) => sum + Math.max(0, messages.length - 1), 0),
      failed: pipeline.notifierStats.failed,
      requests: accepted.length,
      rejected429: calls.filter((call) => call.response?.status === 429).length,
      seconds: round(seconds),
      boundSeconds: boundSeconds === null ? null : round(boundSeconds),
      ratio: boundSeconds === null ? null : round(seconds / boundSeconds),
    };
  } finally {
    await Promise.all([discord.stop(), slack.stop()]);
    await aws.stop();
  }
}

function isDeliveryCall(call: RecordedCall): boolean {
  return (
    /\/users\/@me\/channels$|\/channels\/[^/]+\/messages$/.test(call.path) ||
    /^\/api\/(conversations\.open|chat\.postMessage|files\.\w+)$|^\/upload\//.test(call.path)
  );
}

function round(value: number): number {
  return Number(value.toFixed(3));
}

const results: ScenarioResult[] = [];
for (const platform of ['discord', 'slack'] as const) {
  process.stderr.write(`fan-out to ${WATCHERS} ${platform} watchers…\n`);
  results.push(await scenario(platform));
}
console.table(results);
const discordResult = results[0] as ScenarioResult;
const summary = {
  watchers: discordResult.watchers,
  delivered: discordResult.delivered,
  duplicates: discordResult.duplicates,
  failed: discordResult.failed,
  seconds: discordResult.seconds,
  boundSeconds: discordResult.boundSeconds,
  ratio: discordResult.ratio,
  globalLimitPerSecond: GLOBAL_LIMIT_PER_SECOND,
  scenarios: results,
  measuredAt: new Date().toISOString(),
};
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(RESULTS, `${JSON.stringify(summary, null, 2)}\n`);
process.stderr.write(`wrote ${RESULTS}\n`);
