/** Polls `read` until it returns a value; the timeout bounds a hung test and is never asserted on. */
export async function waitUntil<T>(
  read: () => T | undefined,
  explain: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${explain}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Rejects when `promise` has not settled within `ms`; the bound is for hung tests, never asserted on. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until `condition` holds (`waitUntil` for a condition rather than a value). */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  await waitUntil(() => (condition() ? true : undefined), what, timeoutMs);
}
