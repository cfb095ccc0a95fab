import type { DirectMessage, Messenger } from '../../shared/ports/messenger.js';

/** A messenger adapter that keeps what it sends and can be told to fail: our port, not a library stub. */
export class RecordingMessenger implements Messenger {
  readonly sent: { userKey: string; message: DirectMessage }[] = [];
  failNext: Error | undefined;

  async sendDirect(userKey: string, message: DirectMessage): Promise<undefined> {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    this.sent.push({ userKey, message });
  }
}
