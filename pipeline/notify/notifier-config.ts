import { loadMessengerLambdaConfig } from '../../shared/config/messenger-lambda-config.js';

/** Configuration of the notifier Lambda; throws ConfigError naming each bad variable. */
export function loadNotifierConfig(env: Readonly<Record<string, string | undefined>>) {
  return loadMessengerLambdaConfig(env, 'stockalert-notifier');
}
