import type { Picture } from '../../shared/ports/messenger.js';
import type { ChannelPoster } from './channel-poster.js';
import type { Digest } from './digest.js';
import { digestPlainText } from './digest-text.js';

/** The console "channel" of `npm start`: the digest as text, and its chart handed to `saveChart`. */
export class ConsoleChannelPoster implements ChannelPoster {
  constructor(
    private readonly write: (text: string) => void,
    private readonly saveChart?: (chart: Picture) => Promise<string>,
  ) {}

  async postDigest(channelId: string, digest: Digest, chart: Picture | undefined): Promise<void> {
    const saved = chart && this.saveChart ? await this.saveChart(chart) : undefined;
    this.write(
      `📰 #${channelId}\n${digestPlainText(digest)}${saved === undefined ? '' : `\n(chart: ${saved})`}`,
    );
  }
}
