/** The userKey of a Discord user: from the interaction's authenticated user id, never from command text. */
export function discordUserKey(userId: string): string {
  return `discord:${userId}`;
}
