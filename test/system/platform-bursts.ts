import { seededRandom } from '../../pipeline/demo/seeded-random.js';
import type { FakeDiscord } from '../fakes/fake-discord.js';
import type { FakeSlack } from '../fakes/fake-slack.js';
import type { FaultPlan } from './fault-schedule.js';

const DISCORD_SEND = /^\/api\/v10\/channels\/[^/]+\/messages$/;
const SLACK_SEND = /^\/api\/chat\.postMessage$/;

/**
 * Arms the plan's 429 storms and 5xx bursts on both fakes at seeded moments of the replay. A burst hits
 * the next sends after it is armed, whenever they come. Returns a function that cancels what is not armed yet.
 */
export function schedulePlatformBursts(plan: FaultPlan, discord: FakeDiscord, slack: FakeSlack): () => void {
  const random = seededRandom(plan.seed ^ 0xb0257);
  const timers: NodeJS.Timeout[] = [];
  for (let burst = 0; burst < plan.platformBursts; burst += 1) {
    const storm = 3 + Math.floor(random() * 5);
    timers.push(
      setTimeout(
        () => {
          discord.rateLimit({ method: 'POST', path: DISCORD_SEND, retryAfterSeconds: 1, times: storm });
          slack.rateLimit('chat.postMessage', 1, storm);
        },
        Math.floor(random() * 3_000),
      ),
      setTimeout(
        () => {
          discord.http.inject({
            method: 'POST',
            path: DISCORD_SEND,
            times: 2,
            response: { status: 502, body: { message: 'Bad Gateway', code: 0 } },
          });
          slack.http.inject({
            method: 'POST',
            path: SLACK_SEND,
            times: 2,
            response: { status: 503, body: { ok: false, error: 'service_unavailable' } },
          });
        },
        Math.floor(random() * 3_000),
      ),
    );
  }
  return () => {
    for (const timer of timers) clearTimeout(timer);
  };
}

/** The 429 and 5xx answers the fakes actually gave to sends. */
export function platformFaultsSeen(
  discord: FakeDiscord,
  slack: FakeSlack,
): { tooMany: number; serverErrors: number } {
  const sends = [...discord.http.callsTo('POST', DISCORD_SEND), ...slack.http.callsTo('POST', SLACK_SEND)];
  return {
    tooMany: sends.filter((call) => call.response?.status === 429).length,
    serverErrors: sends.filter((call) => (call.response?.status ?? 0) >= 500).length,
  };
}
