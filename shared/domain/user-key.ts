export type Platform = 'discord' | 'slack' | 'console';

const PLATFORMS: readonly Platform[] = ['discord', 'slack', 'console'];

/** The platform a `userKey` belongs to, or undefined for a key no adapter owns. */
export function platformOf(userKey: string): Platform | undefined {
  const prefix = userKey.slice(0, userKey.indexOf(':'));
  return PLATFORMS.find((platform) => platform === prefix);
}

export function consoleUserKey(name: string): string {
  return `console:${name}`;
}
