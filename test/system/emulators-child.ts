import { fork } from 'node:child_process';
import type { EmbeddedAws } from '../../shared/aws/embedded-aws.js';
import type { EmbeddedCredentials } from '../../shared/aws/embedded-credentials.js';

const ENTRY = new URL('./emulators-process.ts', import.meta.url).pathname;
const READY_TIMEOUT_MS = 60_000;

/**
 * Starts an embedded stack in a process of its own (emulators-process.ts), with `credentials` when given
 * (so that two such processes serve the same clients), and the same handle as
 * `startEmbeddedAws`. In the harness's process, dynalite and kinesalite shared one thread with the fakes,
 * the fault proxies and the producer, so a burst of alert writes queued behind GetRecords polls and fake
 * platform requests that AWS would serve on other machines (docs/architecture.md, "System proof").
 */
export function startEmulatorsProcess(credentials?: EmbeddedCredentials): Promise<EmbeddedAws> {
  const child = fork(ENTRY, credentials ? [JSON.stringify(credentials)] : [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the emulators' process did not start within ${READY_TIMEOUT_MS / 1000} s`));
    }, READY_TIMEOUT_MS);
    const early = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the emulators' process exited with code ${code} before it started`));
    };
    child.once('exit', early);
    child.once('message', (message: { type: string; connection: EmbeddedAws['connection'] }) => {
      clearTimeout(timer);
      child.off('exit', early);
      resolve({
        connection: message.connection,
        async stop() {
          if (child.exitCode === null && child.connected) child.send({ type: 'stop' });
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}
