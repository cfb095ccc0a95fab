import { z } from 'zod';
import { resourceNamesFrom } from './aws-env.js';
import { lambdaConnection, lambdaEnv, lambdaToolSettings } from './lambda-env.js';
import {
  MESSENGER_SECRETS,
  messengerEnv,
  messengerSecretEnv,
  messengerSecretRefsFrom,
  messengerSettingsFrom,
} from './messenger-env.js';
import { parseEnv } from './parse-env.js';

const messengerLambdaEnv = z.object({ ...lambdaEnv, ...messengerEnv, ...messengerSecretEnv });

/**
 * Configuration of a Lambda that posts to the platforms (the notifier, the digest): AWS, resource names,
 * platform settings, and the bot tokens either in env or as Secrets Manager references
 * (`*_TOKEN_SECRET_ARN`, as the CDK app passes them). Throws ConfigError naming each bad variable.
 */
export function loadMessengerLambdaConfig(
  env: Readonly<Record<string, string | undefined>>,
  defaultServiceName: string,
) {
  const parsed = parseEnv(messengerLambdaEnv, env, MESSENGER_SECRETS);
  return {
    connection: lambdaConnection(parsed),
    names: resourceNamesFrom(parsed),
    messengers: messengerSettingsFrom(parsed),
    messengerSecrets: messengerSecretRefsFrom(parsed),
    ...lambdaToolSettings(parsed, defaultServiceName),
  };
}
