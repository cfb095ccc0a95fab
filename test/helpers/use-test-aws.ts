import { afterAll, beforeAll } from 'vitest';
import { startTestAws, type TestAws } from './embedded-aws.js';

export interface UseTestAwsOptions {
  /**
   * Keep the stack's data and credentials in this folder (see `startTestAws`). A function is called in the
   * stack's `beforeAll`, just before the stack starts, so it may make the folder.
   */
  readonly dataDir?: string | (() => string | Promise<string>);
}

/**
 * A fresh embedded AWS stack, with every StockAlert resource created, for the suite that calls this.
 * Registers the suite's hooks itself: a `beforeAll` that starts the stack and an `afterAll` that stops it
 * (vitest runs `afterAll` hooks in reverse order, so the suite's own `afterAll` hooks still see the stack).
 * The returned handle reads through to the running stack: its fields are valid inside the suite's tests and
 * in hooks registered after this call, and reading them anywhere else throws saying so.
 */
export function useTestAws(options: UseTestAwsOptions = {}): TestAws {
  let running: TestAws | undefined;

  beforeAll(async () => {
    const dataDir = typeof options.dataDir === 'function' ? await options.dataDir() : options.dataDir;
    running = await startTestAws(dataDir === undefined ? {} : { dataDir });
  });

  afterAll(async () => {
    await stop();
  });

  async function stop(): Promise<void> {
    const stack = running;
    running = undefined;
    await stack?.stop();
  }

  function current(): TestAws {
    if (running === undefined) {
      throw new Error(
        'useTestAws(): the embedded stack is only running inside the tests and later hooks of the suite that ' +
          'called useTestAws(); read its fields there, not while the suite is being collected',
      );
    }
    return running;
  }

  return {
    get clients() {
      return current().clients;
    },
    get names() {
      return current().names;
    },
    get connection() {
      return current().connection;
    },
    stop,
  };
}
