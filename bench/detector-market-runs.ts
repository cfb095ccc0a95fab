/**
 * The market-scale scenarios of `npm run bench:detector` (detector-market-scale.ts), each figure in a child
 * process of its own, and how they are reported. Run alone with `npm run bench:detector -- --only market`
 * (all of them) or `--only quiet` (the quiet-day pair only, the 2 × target's figures), with `--rounds N`
 * to repeat the pair N times, 10,000 and 100 symbols alternating, and report the medians: on a shared
 * machine one pair moves by ±30 %.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DETECTOR_EVENT_SOURCE } from '../shared/aws/event-source-settings.js';
import type { JunkResult, MarketScaleMode, MarketScaleResult } from './detector-market-scale.js';

const MARKET_SYMBOLS = 10_000;
const JUNK_SYMBOLS = 200_000;

async function marketScaleChild(args: readonly string[]): Promise<unknown> {
  const child = await promisify(execFile)(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      fileURLToPath(new URL('./detector-market-scale.ts', import.meta.url)),
      ...args,
    ],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string);
}

async function session(mode: MarketScaleMode, symbols: number): Promise<MarketScaleResult> {
  process.stdout.write(`market scale: ${mode}, ${symbols} symbols…\n`);
  return (await marketScaleChild([mode, String(symbols)])) as MarketScaleResult;
}

function withAt100(at: MarketScaleResult, at100: MarketScaleResult) {
  return {
    ...at,
    microsPerRecordAt100Symbols: at100.microsPerRecord,
    costRatio: Number((at.microsPerRecord / at100.microsPerRecord).toFixed(2)),
    at100Symbols: at100,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The quiet-day pair `rounds` times (10,000 then 100 symbols, each its own child); the figures of the
 * round whose ratio is the median, with every round's figures and the median of each beside them.
 */
async function quietPairs(rounds: number) {
  const pairs: ReturnType<typeof withAt100>[] = [];
  for (let round = 0; round < rounds; round += 1) {
    pairs.push(withAt100(await session('quiet', MARKET_SYMBOLS), await session('quiet', 100)));
  }
  const byRatio = [...pairs].sort((a, b) => a.costRatio - b.costRatio);
  const middle = byRatio[Math.floor((byRatio.length - 1) / 2)] as ReturnType<typeof withAt100>;
  if (rounds === 1) return middle;
  return {
    ...middle,
    rounds: pairs.map((pair) => ({
      microsPerRecord: pair.microsPerRecord,
      microsPerRecordAt100Symbols: pair.microsPerRecordAt100Symbols,
      costRatio: pair.costRatio,
    })),
    medianMicrosPerRecord: median(pairs.map((pair) => pair.microsPerRecord)),
    medianMicrosPerRecordAt100Symbols: median(pairs.map((pair) => pair.microsPerRecordAt100Symbols)),
    medianCostRatio: median(pairs.map((pair) => pair.costRatio)),
  };
}

const METHOD =
  'Zipf (s = 1) trade rates, binary v2 records from the producer TradePacker flushed every second, ' +
  `batches of ${DETECTOR_EVENT_SOURCE.batchSize} records through createDetectorHandler after an untimed hour of warm-up; CPU time`;

/** The quiet-day pair only (`--only quiet`). */
export async function quietScenario(rounds: number) {
  return {
    ...(await quietPairs(rounds)),
    target: 'microsPerRecord ≤ 2 × microsPerRecordAt100Symbols (quiet day)',
    method: METHOD,
  };
}

/**
 * Every market-scale figure: the quiet-day pair, the 1-second-packing pair, and the junk symbols with and
 * without the bound. 10,000 and 100 symbols alternate; the cost per record is CPU time, since the machine
 * is shared and wall time counts other people's work too.
 */
export async function marketScaleScenarios(rounds = 1) {
  const quiet = await quietPairs(rounds);
  const busy = await session('busy', MARKET_SYMBOLS);
  const busy100 = await session('busy', 100);
  process.stdout.write(`market scale: ${JUNK_SYMBOLS} junk symbols…\n`);
  const junk = (await marketScaleChild(['junk', String(JUNK_SYMBOLS)])) as JunkResult;
  const unbounded = (await marketScaleChild(['junk', String(JUNK_SYMBOLS), 'Infinity'])) as JunkResult;
  return {
    ...quiet,
    oneSecondPacking: withAt100(busy, busy100),
    junk: { ...junk, withoutBound: unbounded },
    target: 'microsPerRecord ≤ 2 × microsPerRecordAt100Symbols (quiet day)',
    method: METHOD,
  };
}

type Reported = Awaited<ReturnType<typeof quietScenario>> &
  Partial<Pick<Awaited<ReturnType<typeof marketScaleScenarios>>, 'oneSecondPacking' | 'junk'>>;

/** The table and the summary line. */
export function printMarketScale(marketScale: Reported): void {
  const rows = [marketScale, marketScale.at100Symbols];
  if (marketScale.oneSecondPacking) {
    rows.push(marketScale.oneSecondPacking, marketScale.oneSecondPacking.at100Symbols);
  }
  console.table(
    Object.fromEntries(
      rows.map((r) => [
        `${r.symbols} symbols, ${r.tradesPerRecord} trades a record`,
        {
          'trades/s': r.tradesPerSec,
          'µs a record': r.microsPerRecord,
          'peak RSS MB': r.peakRssMB,
          'live heap MB': r.liveHeapAfterGcMB,
        },
      ]),
    ),
  );
  const median =
    'medianCostRatio' in marketScale
      ? `; over ${marketScale.rounds.length} rounds, medians ${marketScale.medianMicrosPerRecord} and ${marketScale.medianMicrosPerRecordAt100Symbols} µs, median ratio ${marketScale.medianCostRatio}`
      : '';
  const junk = marketScale.junk
    ? `; ${marketScale.junk.junkSymbols.toLocaleString('en-US')} junk symbols leave ${marketScale.junk.trackedSymbols.toLocaleString('en-US')} tracked, ` +
      `${marketScale.junk.liveHeapAfterGcMB} MB live heap`
    : '';
  process.stdout.write(
    `market scale, quiet day: ${marketScale.microsPerRecord} µs a record at ${marketScale.symbols} symbols, ` +
      `${marketScale.microsPerRecordAt100Symbols} at 100 (ratio ${marketScale.costRatio}, target ≤ 2)${median}${junk}\n`,
  );
}
