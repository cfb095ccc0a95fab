import type { PricePoint } from '../../../shared/ports/price-history.js';
import { escapeXml, svgText } from './svg-text.js';

export interface Sparkline {
  readonly symbol: string;
  /** `+2.31%` */
  readonly change: string;
  readonly up: boolean;
  /** `246.25` */
  readonly last: string;
  readonly points: readonly PricePoint[];
}

export interface SparklineGridSpec {
  readonly title: string;
  readonly subtitle: string;
  readonly sparklines: readonly Sparkline[];
  /** Shown under the grid when some symbols did not fit: `and 7 more`. */
  readonly more?: string;
  readonly columns: number;
}

export const PANEL = { width: 216, height: 86, gap: 8 } as const;
const MARGIN = 12;
const HEADER = 44;
const FOOTER = 22;
const COLORS = { up: '#1e8e3e', down: '#d93025', panel: '#f8f9fa', muted: '#5f6368' } as const;

/** Size of the grid's picture for `count` panels. */
export function sparklineGridSize(count: number, columns: number, more: boolean) {
  const cols = Math.max(1, Math.min(columns, count));
  const rows = Math.max(1, Math.ceil(count / cols));
  return {
    width: 2 * MARGIN + cols * PANEL.width + (cols - 1) * PANEL.gap,
    height: HEADER + rows * PANEL.height + (rows - 1) * PANEL.gap + MARGIN + (more ? FOOTER : 0),
  };
}

/**
 * Small multiples: one panel per symbol with its symbol, change, last price and a sparkline of its
 * closes, each panel on its own scale (the change figure carries the comparison).
 */
export function sparklineGridSvg(spec: SparklineGridSpec): { svg: string; width: number; height: number } {
  const count = spec.sparklines.length;
  const cols = Math.max(1, Math.min(spec.columns, count));
  const { width, height } = sparklineGridSize(count, spec.columns, spec.more !== undefined);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    svgText(MARGIN, 22, spec.title, { size: 16, weight: 600 }),
    svgText(MARGIN, 38, spec.subtitle, { size: 12, fill: COLORS.muted }),
  ];
  spec.sparklines.forEach((sparkline, index) => {
    const x = MARGIN + (index % cols) * (PANEL.width + PANEL.gap);
    const y = HEADER + Math.floor(index / cols) * (PANEL.height + PANEL.gap);
    parts.push(panel(sparkline, x, y));
  });
  if (spec.more !== undefined) {
    parts.push(svgText(MARGIN, height - MARGIN + 2, spec.more, { size: 12, fill: COLORS.muted }));
  }
  parts.push('</svg>');
  return { svg: parts.join(''), width, height };
}

function panel(sparkline: Sparkline, x: number, y: number): string {
  const color = sparkline.up ? COLORS.up : COLORS.down;
  const inner = { x: x + 10, y: y + 34, width: PANEL.width - 20, height: PANEL.height - 42 };
  const points = sparkline.points;
  const parts = [
    `<rect x="${x}" y="${y}" width="${PANEL.width}" height="${PANEL.height}" rx="6" fill="${COLORS.panel}"/>`,
    svgText(x + 10, y + 20, sparkline.symbol, { size: 14, weight: 600 }),
    svgText(x + PANEL.width - 10, y + 20, sparkline.change, {
      size: 14,
      weight: 600,
      fill: color,
      anchor: 'end',
    }),
    svgText(x + 10, y + 32, sparkline.last, { size: 10, fill: COLORS.muted }),
  ];
  if (points.length >= 2) {
    const minTs = points[0]?.ts ?? 0;
    const maxTs = points[points.length - 1]?.ts ?? 1;
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (const point of points) {
      if (point.price < low) low = point.price;
      if (point.price > high) high = point.price;
    }
    const span = high - low || high * 0.01 || 1;
    const px = (ts: number) => inner.x + ((ts - minTs) / Math.max(maxTs - minTs, 1)) * inner.width;
    const py = (price: number) => inner.y + ((high - price) / span) * inner.height;
    const line = thin(points, inner.width)
      .map((point) => `${px(point.ts).toFixed(1)},${py(point.price).toFixed(1)}`)
      .join(' ');
    const baseline = py(points[0]?.price ?? low).toFixed(1);
    parts.push(
      `<line x1="${inner.x}" x2="${inner.x + inner.width}" y1="${baseline}" y2="${baseline}" stroke="#dadce0" stroke-width="1" stroke-dasharray="3 3"/>`,
      `<polyline points="${escapeXml(line)}" fill="none" stroke="${color}" stroke-width="1.8" stroke-linejoin="round" stroke-linecap="round"/>`,
    );
  }
  return parts.join('');
}

/** At most about two points per pixel: a day of minute bars is 960 points for a 196-pixel line. */
function thin(points: readonly PricePoint[], pixels: number): readonly PricePoint[] {
  const step = Math.ceil(points.length / (pixels * 2));
  if (step <= 1) return points;
  const kept: PricePoint[] = [];
  for (let index = 0; index < points.length; index += step) {
    const bucket = points.slice(index, index + step);
    // Keep each bucket's extremes so that a spike survives the thinning.
    const low = bucket.reduce((a, b) => (b.price < a.price ? b : a));
    const high = bucket.reduce((a, b) => (b.price > a.price ? b : a));
    kept.push(...(low.ts <= high.ts ? [low, high] : [high, low]));
  }
  const last = points[points.length - 1];
  if (last !== undefined && kept[kept.length - 1] !== last) kept.push(last);
  return kept;
}
