import { seededRandom } from './seeded-random.js';

/**
 * Synthetic but realistic demo trades: one hour of the regular session (09:30–10:30 ET on
 * Tuesday 2024-03-05) for SPY, BAC, AIG and IBM. Prices follow a quiet mean-reverting random walk
 * in cents; BAC sells off about 4.5% between 10:03 and 10:10 and then steadies — the one sharp move
 * a `BAC 3% 15m` watch should catch, once. Same seed, same file, on every machine.
 */
export const DEMO_SESSION_START = Date.parse('2024-03-05T09:30:00-05:00');
export const DEMO_DURATION_MS = 60 * 60_000;
export const DEMO_DROP = {
  symbol: 'BAC',
  startMs: DEMO_SESSION_START + 33 * 60_000,
  endMs: DEMO_SESSION_START + 40 * 60_000,
  dropPct: 4.5,
} as const;

interface DemoSymbol {
  readonly symbol: string;
  readonly open: number;
  readonly meanGapMs: number;
}

const SYMBOLS: readonly DemoSymbol[] = [
  { symbol: 'SPY', open: 507.8, meanGapMs: 250 },
  { symbol: 'BAC', open: 34.12, meanGapMs: 400 },
  { symbol: 'AIG', open: 73.55, meanGapMs: 600 },
  { symbol: 'IBM', open: 186.4, meanGapMs: 700 },
];

/** The demo's symbols, for the digest at the end of the demo replay. */
export const DEMO_SYMBOLS: readonly string[] = SYMBOLS.map((spec) => spec.symbol);

const EXCHANGES = ['P', 'Q', 'N', 'Z', 'K', 'D'];

export const DEMO_CSV_HEADER = 'symbol,timestamp,price,size,exchange,conditions,suspicious';

/** The demo trades as CSV lines (header first), merged across symbols and sorted by time. */
export function generateDemoTradeLines(seed = 20240305, durationMs = DEMO_DURATION_MS): string[] {
  const random = seededRandom(seed);
  const rows: { ts: number; line: string }[] = [];
  for (const spec of SYMBOLS) {
    let fair = spec.open;
    for (
      let ts = DEMO_SESSION_START + Math.floor(random() * spec.meanGapMs);
      ts < DEMO_SESSION_START + durationMs;
    ) {
      // Mean-reverting noise of a few basis points per trade keeps 15-minute moves well under 1%.
      fair *= 1 + (random() - 0.5) * 0.0003 + ((spec.open - fair) / spec.open) * 0.002;
      const price = Math.round(fair * dropFactor(spec.symbol, ts) * 100) / 100;
      const size = random() < 0.1 ? 1 + Math.floor(random() * 99) : 100 * (1 + Math.floor(random() * 10));
      const exchange = EXCHANGES[Math.floor(random() * EXCHANGES.length)] as string;
      rows.push({
        ts,
        line: `${spec.symbol},${isoEastern(ts)},${price.toFixed(4)},${size},${exchange},00000000,0`,
      });
      ts += 1 + Math.floor(-Math.log(1 - random()) * spec.meanGapMs);
    }
  }
  rows.sort((a, b) => a.ts - b.ts);
  return [DEMO_CSV_HEADER, ...rows.map((row) => row.line)];
}

/** 1 before the sell-off, easing down to (1 − drop) across it, then flat. */
function dropFactor(symbol: string, ts: number): number {
  if (symbol !== DEMO_DROP.symbol || ts < DEMO_DROP.startMs) return 1;
  const progress = Math.min(1, (ts - DEMO_DROP.startMs) / (DEMO_DROP.endMs - DEMO_DROP.startMs));
  const eased = (1 - Math.cos(Math.PI * progress)) / 2;
  return 1 - (DEMO_DROP.dropPct / 100) * eased;
}

/** The tick file's timestamp style: ISO-8601 in New York time with its offset (EST in March 2024 before the 10th). */
function isoEastern(ts: number): string {
  const local = new Date(ts - 5 * 3600_000).toISOString().replace('Z', '');
  return `${local}-05:00`;
}
