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

const digestEnv = z.object({ ...lambdaEnv, ...messengerEnv, ...messengerSecretEnv });

/** Configuration of the digest Lambda; throws ConfigError naming each bad variable. */
export function loadDigestConfig(env: Readonly<Record<string, string | undefined>>) {
  const parsed = parseEnv(digestEnv, env, MESSENGER_SECRETS);
  return {
    connection: lambdaConnection(parsed),
    names: resourceNamesFrom(parsed),
    messengers: messengerSettingsFrom(parsed),
    // The CDK app passes the tokens as secrets (`*_TOKEN_SECRET_ARN`), as to the notifier.
    messengerSecrets: messengerSecretRefsFrom(parsed),
    ...lambdaToolSettings(parsed, 'stockalert-digest'),
  };
}
