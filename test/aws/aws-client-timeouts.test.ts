import { createServer, type Server, type Socket } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsClients, createAwsClients } from '../../shared/aws/aws-clients.js';

/** A TCP server that accepts every connection and never answers: a hung endpoint. */
function startHungServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0, sockets });
    }),
  );
}

describe('AWS clients against a hung endpoint', () => {
  let hung: Awaited<ReturnType<typeof startHungServer>>;
  let clients: AwsClients;

  beforeAll(async () => {
    hung = await startHungServer();
    const endpoint = `http://127.0.0.1:${hung.port}`;
    clients = createAwsClients(
      {
        kind: 'embedded',
        region: 'us-east-1',
        endpoints: { dynamodb: endpoint, kinesis: endpoint, s3: endpoint },
        credentials: { accessKeyId: 'HUNG', secretAccessKey: 'HUNG' },
      },
      { requestTimeoutMs: 200 },
    );
  });
  afterAll(async () => {
    clients?.destroy();
    for (const socket of hung?.sockets ?? []) socket.destroy();
    await new Promise((resolve) => hung?.server.close(resolve));
  });

  // Without a request timeout each call waits on the silent socket for ever, past this test's 20 s.
  it('give up on DynamoDB, Kinesis and S3 calls instead of waiting for ever', async () => {
    const results = await Promise.allSettled([
      clients.dynamoRaw.send(new ListTablesCommand({})),
      clients.kinesis.send(new ListStreamsCommand({})),
      clients.s3.send(new ListBucketsCommand({})),
    ]);

    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect(String((result as PromiseRejectedResult).reason)).toMatch(/timeout|timed out/i);
    }
  }, 20_000);
});
