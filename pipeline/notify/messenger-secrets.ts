import type { MessengerSecretRefs, MessengerSettings } from '../../shared/config/messenger-env.js';
import type { SecretReader } from '../../shared/ports/secret-reader.js';

/**
 * The messenger settings with the tokens that live in Secrets Manager filled in. Call it per
 * invocation: the reader caches, so this costs a read only when the cache has expired.
 */
export async function resolveMessengerSettings(
  settings: MessengerSettings,
  refs: MessengerSecretRefs,
  secrets: SecretReader,
): Promise<MessengerSettings> {
  const [discord, slack] = await Promise.all([
    refs.discord && secrets.read(refs.discord.secretId, refs.maxAgeSeconds),
    refs.slack && secrets.read(refs.slack.secretId, refs.maxAgeSeconds),
  ]);
  return {
    ...settings,
    ...(refs.discord && discord && { discord: { token: discord, ...withApiUrl(refs.discord.apiUrl) } }),
    ...(refs.slack && slack && { slack: { token: slack, ...withApiUrl(refs.slack.apiUrl) } }),
  };
}

function withApiUrl(apiUrl: string | undefined): { apiUrl?: string } {
  return apiUrl === undefined ? {} : { apiUrl };
}

/**
 * Builds once per distinct settings value: a warm Lambda keeps its messengers (and their rate-limit
 * state) until a rotated token arrives, then builds new ones.
 */
export function rebuildOnChange<S, T>(build: (settings: S) => T): (settings: S) => T {
  let lastKey: string | undefined;
  let last: T | undefined;
  return (settings) => {
    const key = JSON.stringify(settings);
    if (last === undefined || key !== lastKey) {
      last = build(settings);
      lastKey = key;
    }
    return last;
  };
}
