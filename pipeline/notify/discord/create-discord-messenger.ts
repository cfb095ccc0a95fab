import { REST } from '@discordjs/rest';
import type { Logger } from '../../../shared/ports/logger.js';
import type { RecipientRepository } from '../../../shared/ports/recipient-repository.js';
import { DiscordMessenger } from './discord-messenger.js';

/** Discord's global limit is about 50 requests/s per bot; the REST client paces itself to it. */
const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;

/** The Discord messenger on `@discordjs/rest` (no gateway: a Lambda only sends). */
export function createDiscordMessenger(
  settings: { readonly token: string; readonly apiUrl?: string },
  recipients: RecipientRepository,
  logger: Logger,
  timeoutMs: number,
): DiscordMessenger {
  const rest = new REST({
    globalRequestsPerSecond: DISCORD_GLOBAL_REQUESTS_PER_SECOND,
    timeout: timeoutMs,
    ...(settings.apiUrl && { api: settings.apiUrl }),
  }).setToken(settings.token);
  return new DiscordMessenger(rest, recipients, logger);
}
