import type { CommandCore } from '../../bot/core/command-core.js';
import { SLACK_EVENTS_PATH, SlackBot } from '../../bot/slack/slack-bot.js';
import { parseUserKey } from '../../shared/domain/user-key.js';
import type { Watch } from '../../shared/domain/watch.js';
import { FAKE_SLACK_BOT_TOKEN, type FakeSlack } from '../fakes/fake-slack.js';
import { FAKE_SLACK_SIGNING_SECRET, postSigned, slashCommandPayload } from '../fakes/slack-requests.js';

/**
 * Adds Slack users' watches the way users do: `/watch` posted, signed, to the real Bolt app (HTTP mode)
 * on the fake Slack, each answer awaited.
 */
export async function watchThroughSlack(
  slack: FakeSlack,
  core: CommandCore,
  wanted: readonly Watch[],
): Promise<void> {
  const bot = new SlackBot({
    botToken: FAKE_SLACK_BOT_TOKEN,
    connection: { kind: 'http', signingSecret: FAKE_SLACK_SIGNING_SECRET, port: 0, host: '127.0.0.1' },
    core,
    clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, timeout: 5_000 },
  });
  const { port } = await bot.start();
  try {
    for (const watch of wanted) {
      const identity = parseUserKey(watch.userKey);
      if (identity?.platform !== 'slack') throw new Error(`${watch.userKey} is not a Slack user key`);
      const { id, url } = slack.newResponseUrl();
      const text = `${watch.symbol} ${watch.thresholdPct}% ${watch.window} ${watch.direction} ${watch.hours}`;
      const payload = slashCommandPayload({
        command: '/watch',
        text,
        userId: identity.userId,
        teamId: identity.teamId,
        responseUrl: url,
      });
      const posted = await postSigned(`http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`, payload);
      if (posted.status !== 200)
        throw new Error(`/watch ${text} for ${watch.userKey}: HTTP ${posted.status}`);
      const answer = String((await slack.waitForResponse(id)).text);
      if (!answer.startsWith('✅'))
        throw new Error(`/watch ${text} for ${watch.userKey} answered: ${answer}`);
    }
  } finally {
    await bot.stop();
  }
}
