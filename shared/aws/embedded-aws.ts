import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import kinesalite from 'kinesalite';
import S3rver from 's3rver';
import type { AwsConnection } from './aws-connection.js';
import {
  type EmbeddedCredentials,
  generateEmbeddedCredentials,
  loadOrCreateEmbeddedCredentials,
} from './embedded-credentials.js';
import { guardEmbeddedServer } from './embedded-request-guard.js';
import { registerS3rverKey } from './s3rver-accounts.js';

export interface EmbeddedAwsOptions {
  /** Ports to listen on; 0 (the default) picks free ephemeral ports, as tests want. */
  readonly ports?: { readonly dynamodb: number; readonly kinesis: number; readonly s3: number };
  /**
   * Keep data across runs in this folder; without it everything lives in memory. The folder also holds
   * the stack's credentials (`credentials.json`, mode 0600), generated the first time; without a folder
   * they are generated for this run only.
   */
  readonly dataDir?: string;
  readonly region?: string;
  /** Use these credentials (without a `dataDir`): two stacks started apart accept the same clients. */
  readonly credentials?: EmbeddedCredentials;
}

export interface EmbeddedAws {
  readonly connection: AwsConnection & { kind: 'embedded' };
  stop(): Promise<void>;
}

/** The embedded stack could not start, typically because a port is taken. */
export class EmbeddedAwsError extends Error {
  override readonly name = 'EmbeddedAwsError';
}

const HOST = '127.0.0.1';

/** Starts dynalite, kinesalite and s3rver in this process (about half a second). */
export async function startEmbeddedAws(options: EmbeddedAwsOptions = {}): Promise<EmbeddedAws> {
  const ports = options.ports ?? { dynamodb: 0, kinesis: 0, s3: 0 };
  const dir = options.dataDir;
  const credentials: EmbeddedCredentials =
    dir === undefined
      ? (options.credentials ?? generateEmbeddedCredentials())
      : await loadOrCreateEmbeddedCredentials(dir);
  const { accessKeyId } = credentials;
  if (dir !== undefined) {
    await Promise.all(
      ['dynamodb', 'kinesis', 's3'].map((name) => mkdir(join(dir, name), { recursive: true })),
    );
  }
  const started: { stop(): Promise<void> }[] = [];
  try {
    const dynamo = dynalite({
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
      ...(dir === undefined ? {} : { path: join(dir, 'dynamodb') }),
    });
    guardEmbeddedServer(dynamo, { accessKeyId, flavour: 'json' });
    const dynamoPort = await listen(dynamo, ports.dynamodb, 'dynalite (DynamoDB)');
    started.push({ stop: () => close(dynamo) });

    const kinesis = kinesalite({
      createStreamMs: 0,
      deleteStreamMs: 0,
      updateStreamMs: 0,
      shardLimit: 100,
      ...(dir === undefined ? {} : { path: join(dir, 'kinesis') }),
    });
    guardEmbeddedServer(kinesis, { accessKeyId, flavour: 'json' });
    const kinesisPort = await listen(kinesis, ports.kinesis, 'kinesalite (Kinesis)');
    started.push({ stop: () => close(kinesis) });

    // s3rver checks only that a SigV4 key id is registered (V4 signatures are unimplemented in 3.7.1);
    // the guard admits only this stack's key, so this is the one s3rver needs to know.
    const unregister = registerS3rverKey(credentials);
    started.push({ stop: async () => unregister() });
    const s3 = new S3rver({
      address: HOST,
      port: ports.s3,
      silent: true,
      ...(dir === undefined
        ? { directory: await memoryLikeS3Dir(), resetOnClose: true }
        : { directory: join(dir, 's3') }),
    });
    const s3Address = await s3.run().catch((error: unknown) => {
      throw portError('s3rver (S3)', ports.s3, error);
    });
    // Guarded before the first request can arrive: run() resolves in microtasks after listening.
    guardEmbeddedServer(s3.httpServer, { accessKeyId, flavour: 'xml' });
    started.push({ stop: () => s3.close() });

    return {
      connection: {
        kind: 'embedded',
        region: options.region ?? 'us-east-1',
        credentials,
        endpoints: {
          dynamodb: `http://${HOST}:${dynamoPort}`,
          kinesis: `http://${HOST}:${kinesisPort}`,
          s3: `http://${HOST}:${s3Address.port}`,
        },
      },
      async stop() {
        await Promise.allSettled(started.reverse().map((service) => service.stop()));
      },
    };
  } catch (error) {
    await Promise.allSettled(started.reverse().map((service) => service.stop()));
    throw error;
  }
}

function listen(server: Server, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(portError(what, port, error)));
    server.listen(port, HOST, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

function portError(what: string, port: number, cause: unknown): EmbeddedAwsError {
  const code = (cause as { code?: string } | undefined)?.code;
  const hint =
    code === 'EADDRINUSE'
      ? `port ${port} is in use: stop the other StockAlert (or whatever holds it), or set STOCKALERT_LOCAL_PORTS to three free ports`
      : String(cause);
  return new EmbeddedAwsError(`could not start ${what} on ${HOST}:${port}: ${hint}`, { cause });
}

/** s3rver always stores on disk; without a data dir it gets a throw-away temp folder. */
async function memoryLikeS3Dir(): Promise<string> {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  return mkdtemp(join(tmpdir(), 'stockalert-s3-'));
}
