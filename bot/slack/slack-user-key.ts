/** The userKey of a Slack user: from the signed request's team and user ids, never from command text. */
export function slackUserKey(teamId: string, userId: string): string {
  return `slack:${teamId}:${userId}`;
}
