import type { PricePoint } from '../../../shared/ports/price-history.js';
import { svgText } from './svg-text.js';
import { timeTicks } from './time-ticks.js';

export interface PriceChartSpec {
  readonly points: readonly PricePoint[];
  /** Where the move started and ended: marked with dots, the start level with a dashed line. */
  readonly from: PricePoint;
  readonly to: PricePoint;
  readonly direction: 'up' | 'down';
  readonly width: number;
  readonly height: number;
  /** `BAC`, top left. */
  readonly symbol: string;
  /** `fell 4.1% in 15 min`, beside the symbol. */
  readonly caption: string;
}

const COLORS = {
  up: '#1e8e3e',
  down: '#d93025',
  grid: '#dadce0',
  background: '#ffffff',
  text: '#202124',
  muted: '#5f6368',
} as const;
/** Plot area insets: the title above, price labels to the right, time ticks below. */
const INSET = { left: 12, right: 104, top: 40, bottom: 26 } as const;
const LABEL_GAP = 13;

/**
 * An alert's price chart as SVG: the symbol and what happened, the price at the high, the low and the
 * last point, and time ticks in New York time, all in the bundled Inter font so that the picture is the
 * same on every machine.
 */
export function priceChartSvg(spec: PriceChartSpec): string {
  const points = [...spec.points, spec.from, spec.to].sort((a, b) => a.ts - b.ts);
  const minTs = points[0]?.ts ?? 0;
  const maxTs = points[points.length - 1]?.ts ?? 1;
  let highPoint = points[0] ?? spec.from;
  let lowPoint = highPoint;
  for (const point of points) {
    if (point.price > highPoint.price) highPoint = point;
    if (point.price < lowPoint.price) lowPoint = point;
  }
  const high = highPoint.price;
  const low = lowPoint.price;
  const margin = (high - low || high * 0.01) * 0.06;
  const plot = {
    left: INSET.left,
    right: spec.width - INSET.right,
    top: INSET.top,
    bottom: spec.height - INSET.bottom,
  };
  const x = (ts: number) =>
    plot.left + ((ts - minTs) / Math.max(maxTs - minTs, 1)) * (plot.right - plot.left);
  const y = (price: number) =>
    plot.top + ((high + margin - price) / (high - low + 2 * margin)) * (plot.bottom - plot.top);
  const color = COLORS[spec.direction];
  const line = points.map((point) => `${x(point.ts).toFixed(1)},${y(point.price).toFixed(1)}`).join(' ');
  const area = `${x(minTs).toFixed(1)},${plot.bottom} ${line} ${x(maxTs).toFixed(1)},${plot.bottom}`;
  const digits = high < 1 ? 4 : 2;
  const last = points[points.length - 1] ?? spec.to;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${spec.width}" height="${spec.height}" viewBox="0 0 ${spec.width} ${spec.height}">`,
    `<rect width="100%" height="100%" rx="8" fill="${COLORS.background}"/>`,
    svgText(INSET.left, 24, spec.symbol, { size: 17, weight: 600 }),
    svgText(INSET.left + 8 + spec.symbol.length * 11.5, 24, spec.caption, {
      size: 13,
      fill: color,
      weight: 600,
    }),
    `<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="${COLORS.grid}" stroke-width="1"/>`,
  ];
  for (const tick of timeTicks(minTs, maxTs, 6)) {
    const tx = x(tick.ts);
    parts.push(
      `<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${plot.top}" y2="${plot.bottom + 4}" stroke="${COLORS.grid}" stroke-width="0.75"/>`,
      svgText(tx, plot.bottom + 16, tick.label, { size: 10, fill: COLORS.muted, anchor: 'middle' }),
    );
  }
  parts.push(
    svgText(plot.right + 6, plot.bottom + 16, 'ET', { size: 10, fill: COLORS.muted }),
    `<line x1="${plot.left}" x2="${plot.right}" y1="${y(spec.from.price).toFixed(1)}" y2="${y(spec.from.price).toFixed(1)}" stroke="${COLORS.grid}" stroke-width="1.5" stroke-dasharray="5 4"/>`,
    `<polygon points="${area}" fill="${color}" fill-opacity="0.12"/>`,
    `<polyline points="${line}" fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`,
    `<circle cx="${x(spec.from.ts).toFixed(1)}" cy="${y(spec.from.price).toFixed(1)}" r="4.5" fill="${COLORS.background}" stroke="${color}" stroke-width="2.5"/>`,
    `<circle cx="${x(spec.to.ts).toFixed(1)}" cy="${y(spec.to.price).toFixed(1)}" r="5" fill="${color}"/>`,
  );
  const labels = placeLabels(
    [
      { name: 'high', price: high, weight: 400 as const, fill: COLORS.muted },
      { name: 'low', price: low, weight: 400 as const, fill: COLORS.muted },
      { name: 'last', price: last.price, weight: 600 as const, fill: color },
    ],
    y,
    plot,
  );
  for (const label of labels) {
    parts.push(
      `<line x1="${plot.right}" x2="${plot.right + 4}" y1="${y(label.price).toFixed(1)}" y2="${y(label.price).toFixed(1)}" stroke="${COLORS.muted}" stroke-width="1"/>`,
      svgText(plot.right + 6, label.y + 4, `${label.price.toFixed(digits)} ${label.name}`, {
        size: 11,
        weight: label.weight,
        fill: label.fill,
      }),
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

interface Label {
  readonly name: string;
  readonly price: number;
  readonly weight: 400 | 600;
  readonly fill: string;
}

/**
 * Right-gutter labels, top to bottom, at least one line apart; a label whose price equals another's
 * joins it (`13.35 low · last`), so the last price at the low is not printed twice.
 */
function placeLabels(
  labels: readonly Label[],
  y: (price: number) => number,
  plot: { top: number; bottom: number },
): (Label & { y: number })[] {
  const merged: Label[] = [];
  for (const label of labels) {
    const same = merged.findIndex((other) => other.price === label.price);
    const existing = merged[same];
    if (existing === undefined) merged.push(label);
    else merged[same] = { ...label, name: `${existing.name} · ${label.name}` };
  }
  const placed = merged.map((label) => ({ ...label, y: y(label.price) })).sort((a, b) => a.y - b.y);
  for (let index = 1; index < placed.length; index += 1) {
    const above = placed[index - 1] as { y: number };
    const here = placed[index] as { y: number };
    if (here.y - above.y < LABEL_GAP) here.y = above.y + LABEL_GAP;
  }
  const overflow = (placed[placed.length - 1]?.y ?? 0) - (plot.bottom - 4);
  if (overflow > 0) for (const label of placed) label.y -= overflow;
  for (const label of placed) label.y = Math.max(label.y, plot.top);
  return placed;
}
