import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAws, type TestAws } from '../helpers/embedded-aws.js';
import { withTemporaryDir } from '../helpers/temporary-dir.js';
import { RunnerChild, RunnerFailedError } from './runner-child.js';
import type { RunnerSettings } from './runner-process.js';

/** A server that accepts connections and never answers: an AWS endpoint that hangs. */
async function hangingEndpoint(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('the system harness runner', () => {
  let aws: TestAws;
  let hanging: Awaited<ReturnType<typeof hangingEndpoint>>;

  beforeAll(async () => {
    aws = await startTestAws();
    hanging = await hangingEndpoint();
  });

  afterAll(async () => {
    await hanging.close();
    await aws.stop();
  });

  function settings(dir: string, endpoints: Partial<{ dynamodb: string; kinesis: string }>): RunnerSettings {
    return {
      connection: { ...aws.connection, endpoints: { ...aws.connection.endpoints, ...endpoints } },
      names: aws.names,
      messengers: {},
      pollMs: 20,
      pollJitter: true,
      claimLeaseMs: 1_000,
      deadLetterDir: join(dir, 'dead-letters'),
      logFile: join(dir, 'runner.log'),
    };
  }

  it('fails fast, naming its log, when the runner never reports ready', async () => {
    await withTemporaryDir('runner-child', async (dir) => {
      // Kinesis hangs: the runner cannot list its shards, so it never starts.
      const runner = new RunnerChild(settings(dir, { kinesis: hanging.url }), {
        readyTimeoutMs: 3_000,
        stallTimeoutMs: 60_000,
      });

      const started = runner.start();

      await expect(started).rejects.toThrow(RunnerFailedError);
      await expect(started).rejects.toThrow(/did not report ready within 3 s.*runner\.log/);
      await runner.stop();
    });
  }, 60_000);

  it('fails fast, naming its log, when a started runner makes no progress towards draining', async () => {
    await withTemporaryDir('runner-child', async (dir) => {
      // DynamoDB hangs: the runner lists its shards and starts, but cannot read its checkpoints.
      const runner = new RunnerChild(settings(dir, { dynamodb: hanging.url }), {
        readyTimeoutMs: 60_000,
        stallTimeoutMs: 2_000,
      });
      await runner.start();

      const drained = runner.drained();

      await expect(drained).rejects.toThrow(RunnerFailedError);
      await expect(drained).rejects.toThrow(/made no progress for \d+ s while draining.*runner\.log/);
      await runner.stop();
    });
  }, 60_000);
});
