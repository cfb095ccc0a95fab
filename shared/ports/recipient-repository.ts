/** What the platform said when a DM could not be delivered for good. */
export interface DmBlock {
  readonly code: string;
  readonly reason: string;
  /** Epoch ms. */
  readonly at: number;
}

/**
 * Facts about a DM recipient that delivery learns: the platform's DM channel id (opened once, then
 * reused, because opening many DMs quickly gets a bot flagged) and whether DMs to them are blocked,
 * which the bot tells the user at their next command.
 */
export interface RecipientRepository {
  dmChannel(userKey: string): Promise<string | undefined>;
  /**
   * The DM channels of several recipients in one read; a recipient without one is absent from the map.
   * Optional: without it each recipient is read on its own.
   */
  dmChannels?(userKeys: readonly string[]): Promise<Map<string, string>>;
  saveDmChannel(userKey: string, channelId: string): Promise<void>;
  markBlocked(userKey: string, block: DmBlock): Promise<void>;
  /** The block, if DMs to the user failed for good since they last heard from us. */
  blocked(userKey: string): Promise<DmBlock | undefined>;
  clearBlocked(userKey: string): Promise<void>;
}
