import { describe, expect, it } from 'vitest';
import type { WatchlistEntry } from '../../bot/core/command-result.js';
import { DISCORD_MESSAGE_LIMIT, renderDiscordReply } from '../../bot/discord/discord-text.js';
import { WINDOWS } from '../../shared/domain/window.js';

describe('Discord reply text', () => {
  it('splits a full 50-watch list into messages within Discord’s limit, each with a closed code block', () => {
    const entries: WatchlistEntry[] = Array.from({ length: 50 }, (_, index) => ({
      watch: {
        userKey: 'discord:1',
        symbol: `SYM${String(index).padStart(3, '0')}.WI`,
        thresholdPct: 12.5,
        window: WINDOWS[index % WINDOWS.length] ?? '15m',
        direction: 'both',
        hours: 'regular',
        createdAt: 0,
      },
      lastPrice: { price: 1234.56, dayChangePct: -12.34 },
    }));

    const parts = renderDiscordReply({ kind: 'watchlist', entries, maxWatchesPerUser: 50 });

    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
      expect(part.split('\n').filter((line) => line.startsWith('```'))).toHaveLength(2);
    }
    const rows = parts
      .join('\n')
      .split('\n')
      .filter((line) => line.startsWith('SYM'));
    expect(rows).toHaveLength(50);
    expect(rows[49]).toMatch(
      /^SYM049\.WI\s+12\.5%\s+1d\s+both\s+regular hours\s+1234\.56 \(-12\.34% today\)$/,
    );
  });

  it('keeps a short answer in one message', () => {
    expect(renderDiscordReply({ kind: 'help', maxWatchesPerUser: 50 })).toHaveLength(1);
  });
});
