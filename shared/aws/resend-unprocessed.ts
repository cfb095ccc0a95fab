import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs one DynamoDB batch call (BatchWriteItem, BatchGetItem) until nothing is left: `call` sends what is
 * pending and returns what DynamoDB left unprocessed (throttling), which is sent again after a pause that
 * doubles each time, from `firstPauseMs`. After `attempts` calls that still leave some, throws `giveUp`'s
 * error.
 */
export async function resendUnprocessed<T>(
  items: readonly T[],
  options: { readonly attempts: number; readonly firstPauseMs: number },
  call: (pending: readonly T[]) => Promise<readonly T[]>,
  giveUp: (left: number) => Error,
): Promise<void> {
  let pending = items;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    pending = await call(pending);
    if (pending.length === 0) return;
    if (attempt >= options.attempts) throw giveUp(pending.length);
    await sleep(options.firstPauseMs * 2 ** (attempt - 1));
  }
}
