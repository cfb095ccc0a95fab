import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../pipeline/digest/build-digest.js';
import type { Digest } from '../../pipeline/digest/digest.js';
import { renderDigestChart } from '../../pipeline/digest/digest-chart.js';
import { customPeriod, duePeriod } from '../../pipeline/digest/digest-period.js';
import { digestPlainText } from '../../pipeline/digest/digest-text.js';
import { discordDigestEmbeds, embedChars } from '../../pipeline/digest/discord/discord-digest-embeds.js';
import { slackDigestMessage } from '../../pipeline/digest/slack/slack-digest-blocks.js';
import { renderPng } from '../../pipeline/notify/chart/render-png.js';
import { sparklineGridSvg } from '../../pipeline/notify/chart/sparkline-grid-svg.js';
import { pngSize } from '../helpers/alerts.js';
import { barsFromCloses } from '../helpers/digest-bars.js';

const OPEN = Date.parse('2026-12-03T09:30:00-05:00');
const PERIOD = customPeriod(Date.parse('2026-12-03T04:00:00-05:00'), Date.parse('2026-12-03T16:15:00-05:00'));

function digestOf(count: number): Digest {
  const bars = new Map(
    Array.from({ length: count }, (_, i) => [
      `S${String(i).padStart(4, '0')}`,
      barsFromCloses(OPEN, [100, 100 + ((i % 17) - 8) / 10, 100 + ((i % 13) - 6) / 5]),
    ]),
  );
  return buildDigest({ title: 'StockAlert daily digest', period: PERIOD, bars, alertCounts: new Map() });
}

describe('digest content', () => {
  it('ranks symbols by absolute change, with last, high, low, the biggest hourly move and alert counts', () => {
    const digest = buildDigest({
      title: 'StockAlert daily digest',
      period: PERIOD,
      bars: new Map([
        ['BAC', barsFromCloses(OPEN, [34, 34.2, 33.1, 33.3])],
        ['IBM', barsFromCloses(OPEN, [190, 191, 195.7])],
        ['SPY', barsFromCloses(OPEN, [500, 499, 501, 500.5])],
        ['AMD', []],
      ]),
      alertCounts: new Map([['BAC', 2]]),
    });
    expect(digest.rows.map((row) => row.symbol)).toEqual(['IBM', 'BAC', 'SPY']);
    const [ibm, bac] = digest.rows;
    expect(ibm).toMatchObject({ last: 195.7, high: 195.7, low: 190, alerts: 0 });
    expect(ibm?.changePct).toBeCloseTo(3, 6);
    expect(bac).toMatchObject({ last: 33.3, high: 34.2, low: 33.1, alerts: 2 });
    expect(bac?.changePct).toBeCloseTo(-2.0588, 3);
    // 09:30 is in the 09:00 ET hour; the move is from that hour's first price to its low.
    expect(bac?.biggestMove).toMatchObject({
      fromPrice: 34,
      toPrice: 33.1,
      fromTs: Date.parse('2026-12-03T09:00:00-05:00'),
    });
    expect(digest.quiet).toEqual(['AMD']);
    const text = digestPlainText(digest);
    expect(text).toContain('IBM     195.70  +3.00%');
    expect(text).toContain('−2.65% 09:00–10:00 ET');
    expect(text).toContain('No trades in the period: AMD.');
  });

  it('says the market was closed, instead of an empty table, on a holiday', () => {
    const period = duePeriod({ kind: 'daily', hour: 16, minute: 15 }, Date.parse('2026-11-26T21:15:00Z'));
    if (period === undefined) throw new Error('expected a due period on Thanksgiving');
    const digest = buildDigest({ title: 'StockAlert daily digest', period, bars: new Map() });
    const closed = 'The market was closed for Thanksgiving Day (2026-11-26): no trading to report.';
    expect(slackDigestMessage(digest).blocks).toContainEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: closed },
    });
    expect(discordDigestEmbeds(digest)[0]?.description).toContain(closed);
  });

  it('keeps a long digest within Slack limits (50 blocks, 3,000 characters a section) and says how many more', () => {
    const digest = digestOf(2_000);
    const { blocks, text } = slackDigestMessage(digest);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const sections = blocks.filter((block) => block.type === 'section');
    for (const section of sections) {
      expect((section as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(3_000);
    }
    const shown = sections.reduce(
      (sum, s) => sum + ((s as { text: { text: string } }).text.text.match(/^S\d{4}/gm)?.length ?? 0),
      0,
    );
    expect(shown).toBeGreaterThan(100);
    const chars = sections.reduce((sum, s) => sum + (s as { text: { text: string } }).text.text.length, 0);
    expect(chars + text.length).toBeLessThanOrEqual(40_000);
    expect(JSON.stringify(blocks)).toContain(`…and ${2_000 - shown} more symbols.`);
  });

  it('keeps a long digest within Discord limits (10 embeds, 6,000 characters, 4,096 a description) and says how many more', () => {
    const digest = digestOf(2_000);
    const embeds = discordDigestEmbeds(digest, 'digest.png');
    expect(embeds.length).toBeLessThanOrEqual(10);
    expect(embedChars(embeds)).toBeLessThanOrEqual(6_000);
    for (const embed of embeds) expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4_096);
    const shown = embeds.reduce((sum, e) => sum + (e.description?.match(/^S\d{4}/gm)?.length ?? 0), 0);
    expect(shown).toBeGreaterThan(40);
    expect(embeds.at(-1)?.footer?.text).toBe(`…and ${2_000 - shown} more symbols.`);
    expect(embeds.at(-1)?.image?.url).toBe('attachment://digest.png');
  });

  it('shows a short digest whole on both platforms', () => {
    const digest = digestOf(6);
    expect(JSON.stringify(slackDigestMessage(digest).blocks)).not.toContain('more symbols');
    expect(discordDigestEmbeds(digest)).toHaveLength(1);
  });

  it('draws a small-multiples PNG whose text comes from the bundled font', async () => {
    const chart = await renderDigestChart(digestOf(6));
    if (chart === undefined) throw new Error('expected a chart');
    expect(pngSize(chart.png)).toEqual({ width: chart.width, height: chart.height });
    expect(chart.png.length).toBeLessThan(100_000);
    // The same grid with no text at all: if the bundled font were missing, the two would be identical.
    const spec = { title: 'StockAlert daily digest', subtitle: 'x', columns: 3, sparklines: [] };
    const withText = await renderPng(sparklineGridSvg(spec).svg);
    const blank = await renderPng(sparklineGridSvg({ ...spec, title: '', subtitle: '' }).svg);
    expect(Buffer.from(withText).equals(Buffer.from(blank))).toBe(false);
    expect(withText.length).toBeGreaterThan(blank.length + 500);
  });
});
