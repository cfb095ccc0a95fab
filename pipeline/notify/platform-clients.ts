import { REST } from '@discordjs/rest';
import { WebClient } from '@slack/web-api';
import type { MessengerSettings } from '../../shared/config/messenger-env.js';

/** Discord's global limit is about 50 requests/s per bot; the REST client paces itself to it. */
const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;

/**
 * The platform API clients, built once from the messenger settings and shared by the DM messengers and
 * the digest's channel posters, so both stages talk to a platform the same way.
 */
export function discordRestClient(settings: NonNullable<MessengerSettings['discord']>): REST {
  return new REST({
    globalRequestsPerSecond: DISCORD_GLOBAL_REQUESTS_PER_SECOND,
    ...(settings.apiUrl && { api: settings.apiUrl }),
  }).setToken(settings.token);
}

export function slackWebClient(settings: NonNullable<MessengerSettings['slack']>): WebClient {
  return new WebClient(settings.token, {
    ...(settings.apiUrl && { slackApiUrl: settings.apiUrl }),
    // Retries with back-off on 429 (Retry-After) and 5xx, for a few minutes at most rather than 30.
    retryConfig: { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000 },
  });
}
