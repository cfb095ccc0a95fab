/** A rendered direct message. Richer parts (embeds, blocks, charts) come with their adapters. */
export interface DirectMessage {
  readonly text: string;
}

/** Sends direct messages on one platform. */
export interface Messenger {
  sendDirect(userKey: string, message: DirectMessage): Promise<void>;
}

/** A send that will never succeed (blocked DMs, unknown user): recorded, not retried. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}
