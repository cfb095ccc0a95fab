import { platformOf } from '../../shared/domain/user-key.js';
import { type DirectMessage, type Messenger, PermanentDeliveryError } from '../../shared/ports/messenger.js';

/** Where console DMs end up, e.g. `(_, text) => chat.showDirectMessage(text)`. */
export type ConsoleMessageSink = (userKey: string, text: string) => void;

/**
 * Delivers DMs to `console:` users by handing them to a sink. Any other platform's user has no
 * messenger in a console-only setup, which no retry can fix: that is a PermanentDeliveryError.
 */
export class ConsoleMessenger implements Messenger {
  constructor(private readonly sink: ConsoleMessageSink) {}

  async sendDirect(userKey: string, message: DirectMessage): Promise<undefined> {
    const platform = platformOf(userKey);
    if (platform !== 'console') {
      throw new PermanentDeliveryError(
        `no messenger is configured for ${platform === undefined ? 'an unknown platform' : `platform ${platform}`} (userKey ${userKey})`,
      );
    }
    this.sink(userKey, message.text);
  }
}
