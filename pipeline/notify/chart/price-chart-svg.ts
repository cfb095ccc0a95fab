import type { PricePoint } from '../../../shared/ports/price-history.js';

export interface PriceChartSpec {
  readonly points: readonly PricePoint[];
  /** Where the move started and ended: marked with dots, the start level with a dashed line. */
  readonly from: PricePoint;
  readonly to: PricePoint;
  readonly direction: 'up' | 'down';
  readonly width: number;
  readonly height: number;
}

const COLORS = { up: '#1e8e3e', down: '#d93025', grid: '#dadce0', background: '#ffffff' } as const;
const PADDING = 12;

/**
 * A small price chart as SVG, with no text: the message carries the numbers, and a chart without text
 * renders identically everywhere (a Lambda has no fonts).
 */
export function priceChartSvg(spec: PriceChartSpec): string {
  const points = [...spec.points, spec.from, spec.to].sort((a, b) => a.ts - b.ts);
  const minTs = points[0]?.ts ?? 0;
  const maxTs = points[points.length - 1]?.ts ?? 1;
  const prices = points.map((point) => point.price);
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  const margin = (high - low || high * 0.01) * 0.08;
  const x = (ts: number) =>
    PADDING + ((ts - minTs) / Math.max(maxTs - minTs, 1)) * (spec.width - 2 * PADDING);
  const y = (price: number) =>
    PADDING + ((high + margin - price) / (high - low + 2 * margin)) * (spec.height - 2 * PADDING);
  const color = COLORS[spec.direction];
  const line = points.map((point) => `${x(point.ts).toFixed(1)},${y(point.price).toFixed(1)}`).join(' ');
  const area = `${x(minTs).toFixed(1)},${spec.height - PADDING} ${line} ${x(maxTs).toFixed(1)},${spec.height - PADDING}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${spec.width}" height="${spec.height}" viewBox="0 0 ${spec.width} ${spec.height}">`,
    `<rect width="100%" height="100%" rx="8" fill="${COLORS.background}"/>`,
    `<line x1="${PADDING}" x2="${spec.width - PADDING}" y1="${y(spec.from.price).toFixed(1)}" y2="${y(spec.from.price).toFixed(1)}" stroke="${COLORS.grid}" stroke-width="1.5" stroke-dasharray="5 4"/>`,
    `<polygon points="${area}" fill="${color}" fill-opacity="0.12"/>`,
    `<polyline points="${line}" fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`,
    `<circle cx="${x(spec.from.ts).toFixed(1)}" cy="${y(spec.from.price).toFixed(1)}" r="4.5" fill="${COLORS.background}" stroke="${color}" stroke-width="2.5"/>`,
    `<circle cx="${x(spec.to.ts).toFixed(1)}" cy="${y(spec.to.price).toFixed(1)}" r="5" fill="${color}"/>`,
    '</svg>',
  ].join('');
}
