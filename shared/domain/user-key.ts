/**
 * The one definition of the user key: `discord:<userId>`, `slack:<teamId>:<userId>` or `console:<name>`.
 * Every adapter builds it here from the authenticated platform identity, and every messenger parses it
 * here, so a key one side accepts is a key the other side can use. A key is a DynamoDB partition key
 * and a DM address, so malformed ids are refused rather than stored.
 */
export type Platform = 'discord' | 'slack' | 'console';

export type UserIdentity =
  | { readonly platform: 'discord'; readonly userId: string }
  | { readonly platform: 'slack'; readonly teamId: string; readonly userId: string }
  | { readonly platform: 'console'; readonly name: string };

const PLATFORMS: readonly Platform[] = ['discord', 'slack', 'console'];

/** A Discord snowflake: a 64-bit integer in decimal, at most 20 digits. */
const DISCORD_ID = /^[0-9]{1,20}$/;
/** Slack team (`T…`, `E…`) and user (`U…`, `W…`) ids: upper-case letters and digits. */
const SLACK_ID = /^[A-Z0-9]{1,32}$/;
/** A local console user: the name `npm start` accepts (STOCKALERT_CONSOLE_USER) and test names. */
const CONSOLE_NAME = /^[A-Za-z0-9._|-]{1,64}$/;

/** A user key, or the parts of one, that break the format. A bug in the caller, not user input. */
export class InvalidUserKeyError extends TypeError {
  override readonly name = 'InvalidUserKeyError';
}

/** The key of a Discord user, from the interaction's authenticated user id. */
export function discordUserKey(userId: string): string {
  if (!DISCORD_ID.test(userId))
    throw new InvalidUserKeyError(`not a Discord user id (a numeric snowflake): ${JSON.stringify(userId)}`);
  return `discord:${userId}`;
}

/** The key of a Slack user, from the signed request's team and user ids. */
export function slackUserKey(teamId: string, userId: string): string {
  if (!SLACK_ID.test(teamId) || !SLACK_ID.test(userId)) {
    throw new InvalidUserKeyError(
      `not a Slack team and user id (upper-case letters and digits): ${JSON.stringify(teamId)}, ${JSON.stringify(userId)}`,
    );
  }
  return `slack:${teamId}:${userId}`;
}

/** The key of a local console user. */
export function consoleUserKey(name: string): string {
  if (!CONSOLE_NAME.test(name))
    throw new InvalidUserKeyError(`not a console user name: ${JSON.stringify(name)}`);
  return `console:${name}`;
}

/** The identity a well-formed key stands for, or undefined for anything else. */
export function parseUserKey(userKey: string): UserIdentity | undefined {
  const parts = userKey.split(':');
  switch (parts[0]) {
    case 'discord':
      return parts.length === 2 && DISCORD_ID.test(parts[1] as string)
        ? { platform: 'discord', userId: parts[1] as string }
        : undefined;
    case 'slack':
      return parts.length === 3 && SLACK_ID.test(parts[1] as string) && SLACK_ID.test(parts[2] as string)
        ? { platform: 'slack', teamId: parts[1] as string, userId: parts[2] as string }
        : undefined;
    case 'console':
      return parts.length === 2 && CONSOLE_NAME.test(parts[1] as string)
        ? { platform: 'console', name: parts[1] as string }
        : undefined;
    default:
      return undefined;
  }
}

/** Builds the key of an identity: the inverse of parseUserKey. */
export function formatUserKey(identity: UserIdentity): string {
  switch (identity.platform) {
    case 'discord':
      return discordUserKey(identity.userId);
    case 'slack':
      return slackUserKey(identity.teamId, identity.userId);
    case 'console':
      return consoleUserKey(identity.name);
  }
}

/** The identity of `userKey`; throws InvalidUserKeyError for a malformed key. */
export function assertUserKey(userKey: string): UserIdentity {
  const identity = parseUserKey(userKey);
  if (identity === undefined) {
    throw new InvalidUserKeyError(
      `not a user key of any platform: ${JSON.stringify(userKey)} (expected discord:<snowflake>, slack:<TEAM>:<USER> or console:<name>)`,
    );
  }
  return identity;
}

/**
 * The platform a `userKey` names by its prefix, or undefined for a prefix no adapter owns. Routing only:
 * use parseUserKey to know the key is well formed.
 */
export function platformOf(userKey: string): Platform | undefined {
  const prefix = userKey.slice(0, userKey.indexOf(':'));
  return PLATFORMS.find((platform) => platform === prefix);
}
