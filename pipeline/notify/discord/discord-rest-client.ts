import { REST } from '@discordjs/rest';

/** Discord's global limit is about 50 requests/s per bot; the REST client paces itself to it. */
const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;

/**
 * The Discord REST client (no gateway: a Lambda only sends), shared by the DM messenger and the
 * digest's channel poster so both stages talk to Discord the same way.
 */
export function discordRestClient(
  settings: { readonly token: string; readonly apiUrl?: string },
  timeoutMs: number,
): REST {
  return new REST({
    globalRequestsPerSecond: DISCORD_GLOBAL_REQUESTS_PER_SECOND,
    timeout: timeoutMs,
    ...(settings.apiUrl && { api: settings.apiUrl }),
  }).setToken(settings.token);
}
