import { WebClient } from '@slack/web-api';

/**
 * The Slack Web API client, shared by the DM messenger and the digest's channel poster so both stages
 * talk to Slack the same way.
 */
export function slackWebClient(
  settings: { readonly token: string; readonly apiUrl?: string },
  timeoutMs: number,
): WebClient {
  return new WebClient(settings.token, {
    ...(settings.apiUrl && { slackApiUrl: settings.apiUrl }),
    timeout: timeoutMs,
    // Retries with back-off on 429 (Retry-After) and 5xx, for a few minutes at most rather than 30.
    retryConfig: { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000 },
  });
}
