import { z } from 'zod';
import { resourceNamesFrom } from '../../shared/config/aws-env.js';
import { lambdaConnection, lambdaEnv, lambdaToolSettings } from '../../shared/config/lambda-env.js';
import {
  MESSENGER_SECRETS,
  messengerEnv,
  messengerSecretEnv,
  messengerSecretRefsFrom,
  messengerSettingsFrom,
} from '../../shared/config/messenger-env.js';
import { parseEnv } from '../../shared/config/parse-env.js';

const notifierEnv = z.object({ ...lambdaEnv, ...messengerEnv, ...messengerSecretEnv });

/** Configuration of the notifier Lambda; throws ConfigError naming each bad variable. */
export function loadNotifierConfig(env: Readonly<Record<string, string | undefined>>) {
  const parsed = parseEnv(notifierEnv, env, MESSENGER_SECRETS);
  return {
    connection: lambdaConnection(parsed),
    names: resourceNamesFrom(parsed),
    messengers: messengerSettingsFrom(parsed),
    messengerSecrets: messengerSecretRefsFrom(parsed),
    ...lambdaToolSettings(parsed, 'stockalert-notifier'),
  };
}
