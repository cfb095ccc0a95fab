import { createHmac, randomUUID } from 'node:crypto';
import { FAKE_SLACK_TEAM_ID } from './fake-slack.js';

export const FAKE_SLACK_SIGNING_SECRET = 'fake-signing-secret-0123456789abcdef';

/** The fields Slack posts for a slash command (form-encoded over HTTP, `payload` in Socket Mode). */
export function slashCommandPayload(options: {
  readonly command: string;
  readonly text: string;
  readonly userId: string;
  readonly teamId?: string;
  readonly responseUrl: string;
  readonly channelId?: string;
}): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: options.teamId ?? FAKE_SLACK_TEAM_ID,
    team_domain: 'fake',
    channel_id: options.channelId ?? 'C0FAKECHAN1',
    channel_name: 'general',
    user_id: options.userId,
    user_name: options.userId.toLowerCase(),
    command: options.command,
    text: options.text,
    api_app_id: 'A0FAKEAPP1',
    is_enterprise_install: 'false',
    response_url: options.responseUrl,
    // Unique per request, as Slack's are (the bot drops a repeated trigger_id as a replay).
    trigger_id: `${Date.now()}.${randomUUID()}`,
  };
}

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignedPostOptions {
  readonly secret?: string;
  /** Epoch seconds; default now. */
  readonly timestamp?: number;
  /** Overrides the computed signature (to test rejection). */
  readonly signature?: string;
}

/** Posts a form body to a Bolt HTTP endpoint, signed as Slack signs it. */
export async function postSigned(
  url: string,
  fields: Record<string, string>,
  options: SignedPostOptions = {},
): Promise<{ status: number; body: string; receivedAt: number }> {
  const rawBody = new URLSearchParams(fields).toString();
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    options.signature ?? slackSignature(options.secret ?? FAKE_SLACK_SIGNING_SECRET, timestamp, rawBody);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body: rawBody,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text(), receivedAt: Date.now() };
}
