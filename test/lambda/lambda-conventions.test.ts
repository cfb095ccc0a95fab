import { describe, expect, it } from 'vitest';
import { loadDetectorConfig } from '../../pipeline/detect/detector-config.js';
import { resolveMessengerSettings } from '../../pipeline/notify/messenger-secrets.js';
import { loadNotifierConfig } from '../../pipeline/notify/notifier-config.js';
import type { SecretReader } from '../../shared/ports/secret-reader.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';

const LAMBDA_ENV = { AWS_REGION: 'eu-west-1' };
const DISCORD_TOKEN = 'discord-token-from-env-000000';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:discord';

function recordingSecrets(values: Record<string, string>): SecretReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async read(secretId) {
      reads.push(secretId);
      const value = values[secretId];
      if (value === undefined) throw new Error(`no secret ${secretId}`);
      return value;
    },
  };
}

describe('Lambda configuration', () => {
  it('reaches each service at its own endpoint when AWS_ENDPOINT_URL_<SERVICE> is set, else AWS itself', () => {
    expect(loadDetectorConfig(LAMBDA_ENV).connection).toEqual({ kind: 'aws', region: 'eu-west-1' });
    const config = loadDetectorConfig({
      ...LAMBDA_ENV,
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4567',
      AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:4568',
    });
    expect(config.connection).toEqual({
      kind: 'aws',
      region: 'eu-west-1',
      serviceEndpoints: { dynamodb: 'http://127.0.0.1:4567', kinesis: 'http://127.0.0.1:4568' },
    });
    expect(config).toMatchObject({ serviceName: 'stockalert-detector', metricsNamespace: 'StockAlert' });
  });

  it('reads the Discord token from Secrets Manager when only its secret is named', async () => {
    const config = loadNotifierConfig({ ...LAMBDA_ENV, DISCORD_BOT_TOKEN_SECRET_ARN: SECRET_ARN });
    const secrets = recordingSecrets({ [SECRET_ARN]: 'discord-token-from-secret-0000' });

    const settings = await resolveMessengerSettings(config.messengers, config.messengerSecrets, secrets);

    expect(settings).toEqual({ discord: { token: 'discord-token-from-secret-0000' } });
    expect(secrets.reads).toEqual([SECRET_ARN]);
  });

  it('uses a token from env as it is, without reading the secret, so local runs need no Secrets Manager', async () => {
    const config = loadNotifierConfig({
      ...LAMBDA_ENV,
      DISCORD_BOT_TOKEN: DISCORD_TOKEN,
      DISCORD_BOT_TOKEN_SECRET_ARN: SECRET_ARN,
    });
    const secrets = recordingSecrets({});

    const settings = await resolveMessengerSettings(config.messengers, config.messengerSecrets, secrets);

    expect(settings).toEqual({ discord: { token: DISCORD_TOKEN } });
    expect(secrets.reads).toEqual([]);
  });
});

describe('error logging', () => {
  it('writes an error field with its name, message, stack, code and cause chain', () => {
    const { logger, lines } = memoryLogger();
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

    logger.error('replay failed', { error: new Error('could not put records', { cause }) });

    expect(lines[0]).toMatchObject({
      message: 'replay failed',
      error: {
        name: 'Error',
        message: 'could not put records',
        stack: expect.stringContaining('lambda-conventions.test.ts'),
        cause: { name: 'Error', message: 'socket hang up', code: 'ECONNRESET', stack: expect.any(String) },
      },
    });
  });
});
