import { loadMessengerLambdaConfig } from '../../shared/config/messenger-lambda-config.js';

/** Configuration of the digest Lambda; throws ConfigError naming each bad variable. */
export function loadDigestConfig(env: Readonly<Record<string, string | undefined>>) {
  return loadMessengerLambdaConfig(env, 'stockalert-digest');
}
