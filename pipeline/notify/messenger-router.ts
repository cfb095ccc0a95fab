import { type Platform, platformOf } from '../../shared/domain/user-key.js';
import {
  type DirectDelivery,
  type DirectMessage,
  type Messenger,
  PermanentDeliveryError,
} from '../../shared/ports/messenger.js';

/** Sends each DM through the messenger of the recipient's platform. */
export class MessengerRouter implements Messenger {
  constructor(private readonly messengers: Partial<Record<Platform, Messenger>>) {}

  async sendDirect(userKey: string, message: DirectMessage): Promise<DirectDelivery | undefined> {
    const platform = platformOf(userKey);
    const messenger = platform === undefined ? undefined : this.messengers[platform];
    if (messenger === undefined) {
      throw new PermanentDeliveryError(
        `no messenger configured for ${platform ?? 'the platform of'} ${userKey}: set that platform's credentials`,
      );
    }
    return messenger.sendDirect(userKey, message);
  }

  async warm(): Promise<void> {
    await Promise.all(Object.values(this.messengers).map((messenger) => messenger?.warm?.()));
  }

  async prepareDirect(userKey: string): Promise<void> {
    const platform = platformOf(userKey);
    await (platform === undefined ? undefined : this.messengers[platform])?.prepareDirect?.(userKey);
  }
}
