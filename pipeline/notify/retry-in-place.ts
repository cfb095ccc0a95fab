/**
 * Runs `write` until it succeeds, backing off 50, 100, 200… ms, for at most `budgetMs` in all; then
 * rethrows the last error. For the writes that must not be left to a redelivery: once a DM is sent, the
 * "sent" mark is retried here, because a retry of the batch would find the claim expired and send again.
 */
export async function retryInPlace<T>(write: () => Promise<T>, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delayMs = 50; ; delayMs *= 2) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() + delayMs > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
