import { createConnection } from 'node:net';
import { join } from 'node:path';
import { type AwsClients, createAwsClients } from '../shared/aws/aws-clients.js';
import type { AwsConnection } from '../shared/aws/aws-connection.js';
import { readEmbeddedCredentials } from '../shared/aws/embedded-credentials.js';
import { provisionResources } from '../shared/aws/provision-resources.js';
import type { ResourceNames } from '../shared/aws/resources.js';
import type { AwsTargetSettings } from '../shared/config/aws-env.js';

export interface AwsSession {
  readonly clients: AwsClients;
  readonly connection: AwsConnection;
  /** How the session reached AWS, for the first line of a command's output. */
  readonly description: string;
  close(): Promise<void>;
}

export interface AwsSessionOptions {
  readonly target: AwsTargetSettings;
  readonly names: ResourceNames;
  /**
   * For the embedded target: when a StockAlert (`npm start`) already serves the configured ports,
   * use its stack instead of starting one. `npm start` itself owns its stack and never joins.
   */
  readonly joinRunning: boolean;
}

/**
 * Opens AWS for a CLI command: the configured account, or the embedded stack on the configured ports
 * and data folder (started here, or joined when already running), with every resource provisioned.
 */
export async function openAwsSession(options: AwsSessionOptions): Promise<AwsSession> {
  const { target, names } = options;
  if (target.kind === 'aws') {
    const clients = createAwsClients(target);
    return {
      clients,
      connection: target,
      description: `AWS in ${target.region}${target.endpoint ? ` at ${target.endpoint}` : ''}`,
      async close() {
        clients.destroy();
      },
    };
  }
  const host = '127.0.0.1';
  const dataDir = join(target.dataDir, 'aws');
  if (options.joinRunning && (await allListening(host, Object.values(target.ports)))) {
    const connection: AwsConnection = {
      kind: 'embedded',
      region: target.region,
      // The running stack refuses any other key: its own, from the data folder it was started with.
      credentials: await readEmbeddedCredentials(dataDir),
      endpoints: {
        dynamodb: `http://${host}:${target.ports.dynamodb}`,
        kinesis: `http://${host}:${target.ports.kinesis}`,
        s3: `http://${host}:${target.ports.s3}`,
      },
    };
    const clients = createAwsClients(connection);
    await provisionResources(clients, names);
    return {
      clients,
      connection,
      description: `the running embedded stack on ports ${Object.values(target.ports).join(', ')}`,
      async close() {
        clients.destroy();
      },
    };
  }
  // Loaded only here: a session against real AWS (`npm run bot` on Fargate) never loads the emulators.
  const { startEmbeddedAws } = await import('../shared/aws/embedded-aws.js');
  const embedded = await startEmbeddedAws({
    ports: target.ports,
    dataDir,
    region: target.region,
  });
  const clients = createAwsClients(embedded.connection);
  await provisionResources(clients, names);
  const { endpoints } = embedded.connection;
  return {
    clients,
    connection: embedded.connection,
    description: `embedded AWS (DynamoDB ${endpoints.dynamodb}, Kinesis ${endpoints.kinesis}, S3 ${endpoints.s3}; data and credentials in ${target.dataDir}/aws)`,
    async close() {
      clients.destroy();
      await embedded.stop();
    },
  };
}

async function allListening(host: string, ports: readonly number[]): Promise<boolean> {
  const open = await Promise.all(ports.map((port) => isListening(host, port)));
  return open.every(Boolean);
}

function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
