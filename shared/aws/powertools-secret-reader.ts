import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretReader } from '../ports/secret-reader.js';
import { endpointOf } from './aws-clients.js';
import type { AwsConnection } from './aws-connection.js';

/**
 * Secrets Manager through Powertools Parameters: each value is cached in the Lambda environment for
 * `maxAgeSeconds`, so a warm function reads a secret about once per cache period and a rotation is
 * picked up within one.
 */
export class PowertoolsSecretReader implements SecretReader {
  private readonly provider: SecretsProvider;

  constructor(connection: AwsConnection & { kind: 'aws' }) {
    this.provider = new SecretsProvider({
      clientConfig: { region: connection.region, ...endpointOf(connection, 'secretsmanager') },
    });
  }

  async read(secretId: string, maxAgeSeconds: number): Promise<string> {
    const value = await this.provider.get(secretId, { maxAge: maxAgeSeconds });
    if (typeof value !== 'string' || value.length === 0) {
      throw new Error(`secret ${secretId} has no string value: store the token itself as the secret string`);
    }
    return value;
  }
}
