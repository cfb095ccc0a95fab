import { randomUUID } from 'node:crypto';
import { type AwsClients, createAwsClients } from '../../shared/aws/aws-clients.js';
import { startEmbeddedAws } from '../../shared/aws/embedded-aws.js';
import { provisionResources } from '../../shared/aws/provision-resources.js';
import { DEFAULT_RESOURCE_NAMES, type ResourceNames } from '../../shared/aws/resources.js';

export interface TestAws {
  readonly clients: AwsClients;
  readonly names: ResourceNames;
  readonly connection: Awaited<ReturnType<typeof startEmbeddedAws>>['connection'];
  stop(): Promise<void>;
}

/**
 * A fresh embedded AWS stack on ephemeral ports with every StockAlert resource created.
 * Each call gets its own stack, so test files never share state. With `dataDir` the stack keeps its
 * data and credentials there, so that a child process (`npm run bot`) can join it as it joins `npm start`.
 */
export async function startTestAws(options: { readonly dataDir?: string } = {}): Promise<TestAws> {
  const embedded = await startEmbeddedAws(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  const clients = createAwsClients(embedded.connection);
  const names = DEFAULT_RESOURCE_NAMES;
  await provisionResources(clients, names);
  return {
    clients,
    names,
    connection: embedded.connection,
    async stop() {
      clients.destroy();
      await embedded.stop();
    },
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
