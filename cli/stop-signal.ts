/** How a long-running command learns it should stop: SIGINT, SIGTERM, or its own `stop()` (the chat closing). */
export interface StopSignal {
  /** Aborted on the first stop request; pass it to whatever should wind down. */
  readonly signal: AbortSignal;
  /** Settles on the first stop request. */
  readonly stopped: Promise<void>;
  readonly interrupted: boolean;
  stop(): void;
}

/** Listens for SIGINT and SIGTERM once; the first request runs `onStop` and aborts `signal`. */
export function listenForStop(onStop: () => void): StopSignal {
  const abort = new AbortController();
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  const handle: StopSignal = {
    signal: abort.signal,
    stopped,
    get interrupted() {
      return abort.signal.aborted;
    },
    stop() {
      if (abort.signal.aborted) return;
      onStop();
      abort.abort();
      resolveStopped();
    },
  };
  process.once('SIGINT', handle.stop);
  process.once('SIGTERM', handle.stop);
  return handle;
}
