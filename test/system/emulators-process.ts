/**
 * The embedded AWS stack alone in a process, for the system harness (emulators-child.ts): DynamoDB and
 * Kinesis stand in for services on other machines, so they get their own event loop instead of sharing the
 * harness's with the fakes, the proxies and the producer. Reports its connection once started, stops on
 * the parent's word or when the parent goes away.
 */
import { startEmbeddedAws } from '../../shared/aws/embedded-aws.js';
import type { EmbeddedCredentials } from '../../shared/aws/embedded-credentials.js';

const send = (message: unknown) => process.send?.(message);

const credentials = process.argv[2] ? (JSON.parse(process.argv[2]) as EmbeddedCredentials) : undefined;
const embedded = await startEmbeddedAws(credentials ? { credentials } : {});
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await embedded.stop().catch(() => undefined);
  process.exit(0);
}
process.on('message', (command: { type: string }) => {
  if (command.type === 'stop') void stop();
});
process.on('disconnect', () => void stop());
send({ type: 'started', connection: embedded.connection });
