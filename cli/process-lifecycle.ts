import { reportError } from './report-error.js';

/** What a long-running command must undo on the way out, undone in reverse order. */
export class Cleanups {
  private readonly steps: (() => Promise<void> | void)[] = [];

  push(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  /** Runs every step once, newest first; a failing step does not stop the others. */
  async runAll(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      await Promise.resolve()
        .then(step)
        .catch(() => undefined);
    }
  }
}

/**
 * Runs a command's `main` and exits with its code. On an error it undoes what was started, reports
 * the error for a person, and exits 1. It exits explicitly because a library may leave a handle on stdin.
 */
export function runMain(main: (cleanups: Cleanups) => Promise<number>): void {
  const cleanups = new Cleanups();
  main(cleanups)
    .catch(async (error: unknown) => {
      await cleanups.runAll();
      reportError(error);
      return 1;
    })
    .then((code) => process.exit(code));
}
