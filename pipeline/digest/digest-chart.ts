import type { Picture } from '../../shared/ports/messenger.js';
import { renderPng } from '../notify/chart/render-png.js';
import { type Sparkline, sparklineGridSvg } from '../notify/chart/sparkline-grid-svg.js';
import type { Digest } from './digest.js';
import { describePeriod, formatPrice, formatSignedPct } from './digest-text.js';

/** A digest chart shows at most this many symbols (the table lists them all, up to the platform's limit). */
export const MAX_CHART_SYMBOLS = 12;
const COLUMNS = 3;

/** The digest's small-multiples chart: the most-moved symbols first. Undefined when no symbol traded. */
export async function renderDigestChart(digest: Digest): Promise<Picture | undefined> {
  if (digest.rows.length === 0) return undefined;
  const shown = digest.rows.slice(0, MAX_CHART_SYMBOLS);
  const hidden = digest.rows.length - shown.length;
  const sparklines: Sparkline[] = shown.map((row) => ({
    symbol: row.symbol,
    change: formatSignedPct(row.changePct),
    up: row.changePct >= 0,
    last: `last ${formatPrice(row.last)} · high ${formatPrice(row.high)} · low ${formatPrice(row.low)}`,
    points: row.closes,
  }));
  const { svg, width, height } = sparklineGridSvg({
    title: digest.title,
    subtitle: describePeriod(digest.period),
    sparklines,
    columns: COLUMNS,
    ...(hidden > 0 ? { more: `and ${hidden} more in the table` } : {}),
  });
  return {
    fileName: 'digest.png',
    png: await renderPng(svg),
    width,
    height,
    altText: `${digest.title}: ${shown.map((row) => `${row.symbol} ${formatSignedPct(row.changePct)}`).join(', ')}${hidden > 0 ? ` and ${hidden} more` : ''}`,
  };
}
