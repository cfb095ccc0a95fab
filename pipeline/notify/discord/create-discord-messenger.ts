import type { Logger } from '../../../shared/ports/logger.js';
import type { RecipientRepository } from '../../../shared/ports/recipient-repository.js';
import { DiscordMessenger } from './discord-messenger.js';
import { discordRestClient } from './discord-rest-client.js';

/** The Discord messenger on `@discordjs/rest`. */
export function createDiscordMessenger(
  settings: { readonly token: string; readonly apiUrl?: string },
  recipients: RecipientRepository,
  logger: Logger,
  timeoutMs: number,
): DiscordMessenger {
  return new DiscordMessenger(discordRestClient(settings, timeoutMs), recipients, logger);
}
