import { platformOf } from '../../shared/domain/user-key.js';
import type { Logger } from '../../shared/ports/logger.js';
import { type DirectMessage, type Messenger, PermanentDeliveryError } from '../../shared/ports/messenger.js';

/** The console messenger of a Lambda: a `console:` user's DM becomes a log line in CloudWatch. */
export class LogMessenger implements Messenger {
  constructor(private readonly logger: Logger) {}

  async sendDirect(userKey: string, message: DirectMessage): Promise<undefined> {
    if (platformOf(userKey) !== 'console') {
      throw new PermanentDeliveryError(`${userKey} is not a console user`, { code: 'wrong-platform' });
    }
    this.logger.info('direct message', { userKey, text: message.text });
  }
}
