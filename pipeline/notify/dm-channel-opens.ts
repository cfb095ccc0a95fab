import { setBounded } from '../../shared/collections/bounded-map.js';

/** Opens kept for a send: the oldest goes first beyond this many. */
const MAX_KEPT = 10_000;
/** A failed open ahead of a send is reported by the send only this long; later sends open afresh. */
const KEPT_MS = 60_000;

/**
 * DM channel opens started ahead of a send (beside the notifier's claims; docs/architecture.md, "Latency
 * by stage"), which the send joins instead of opening again. A successful open is forgotten once it is in
 * the recipients' channels (where the send finds it); a failed one is kept for the send, which reports it
 * as its own, so a refusal (a user who cannot be messaged) is classified exactly as before.
 */
export class DmChannelOpens {
  private readonly kept = new Map<string, { readonly opened: Promise<string>; readonly at: number }>();

  constructor(private readonly open: (userKey: string) => Promise<string>) {}

  /** Starts opening the user's DM channel; never rejects (the send reports a failure). */
  async prepare(userKey: string): Promise<void> {
    if (this.kept.has(userKey)) return;
    const entry = { opened: this.open(userKey), at: Date.now() };
    setBounded(this.kept, userKey, entry, MAX_KEPT);
    try {
      await entry.opened;
      if (this.kept.get(userKey) === entry) this.kept.delete(userKey);
    } catch {
      // Kept for the send.
    }
  }

  /** The channel opened (or being opened) ahead for the user, else a fresh open. */
  take(userKey: string): Promise<string> {
    const entry = this.kept.get(userKey);
    this.kept.delete(userKey);
    return entry !== undefined && Date.now() - entry.at < KEPT_MS ? entry.opened : this.open(userKey);
  }
}
