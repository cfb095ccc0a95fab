import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCommandCore } from '../../bot/core/command-core.js';
import { parseCommand, splitCommandLine } from '../../bot/core/parse-command.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { SYMBOL_PATTERN } from '../../shared/domain/symbol.js';
import { MAX_THRESHOLD_PCT, MIN_THRESHOLD_PCT } from '../../shared/domain/watch.js';
import { isWindowName, WINDOWS } from '../../shared/domain/window.js';
import { FUZZ, hostileText, validSymbol } from '../helpers/fuzz.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const commandName = fc.oneof(
  fc.constantFrom('watch', '/watch', 'WATCH', 'unwatch', 'watchlist', 'help'),
  hostileText,
);
const argument = fc.oneof(
  hostileText,
  fc.constantFrom('3%', '0.1', '50%', '1e2', '-3%', '15m', '1H', 'up', 'DOWN', 'both', 'regular', 'all'),
  fc.double().map(String),
);

describe('fuzz: the command parser', () => {
  it('returns a result for any name and arguments, never throws, and accepts only valid commands', () => {
    fc.assert(
      fc.property(commandName, fc.array(argument, { maxLength: 6 }), (name, args) => {
        const result = parseCommand(name, args);
        if (!result.ok) {
          expect(typeof result.error.code).toBe('string');
          return;
        }
        const command = result.command;
        if (command.kind === 'watch') {
          expect(command.symbol).toMatch(SYMBOL_PATTERN);
          expect(command.thresholdPct).toBeGreaterThanOrEqual(MIN_THRESHOLD_PCT);
          expect(command.thresholdPct).toBeLessThanOrEqual(MAX_THRESHOLD_PCT);
          expect(isWindowName(command.window)).toBe(true);
        }
        if (command.kind === 'unwatch' && command.target.kind === 'symbol') {
          expect(command.target.symbol).toMatch(SYMBOL_PATTERN);
        }
      }),
      FUZZ,
    );
  });

  it('never accepts a symbol token outside ASCII, whatever upper-casing makes of it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), (token) => {
        fc.pre(/[^\x20-\x7e]/u.test(token));
        expect(parseCommand('watch', [token]).ok).toBe(false);
        expect(parseCommand('unwatch', [token]).ok).toBe(false);
      }),
      FUZZ,
    );
  });

  it('splits any typed line without throwing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (line) => {
        const split = splitCommandLine(line);
        if (split !== undefined) expect(line.trim().startsWith('/')).toBe(true);
      }),
      FUZZ,
    );
  });

  it('reads back every valid /watch it could have been typed as (round trip)', () => {
    const watch = fc.record({
      symbol: validSymbol,
      threshold: fc.integer({ min: 1, max: 500 }).map((tenths) => tenths / 10),
      window: fc.constantFrom(...WINDOWS),
      direction: fc.constantFrom('up', 'down', 'both'),
      hours: fc.constantFrom('all', 'regular'),
      lowerCase: fc.boolean(),
    });
    fc.assert(
      fc.property(watch, fc.func(fc.integer()), (w, order) => {
        const parts = [`${w.threshold}%`, w.window, w.direction, w.hours];
        parts.sort((a, b) => order(a) - order(b));
        const symbol = w.lowerCase ? w.symbol.toLowerCase() : w.symbol;
        const line = splitCommandLine(`/watch ${symbol} ${parts.join(' ')}`);
        expect(parseCommand(line?.name ?? '', line?.args ?? [])).toEqual({
          ok: true,
          command: {
            kind: 'watch',
            symbol: w.symbol,
            thresholdPct: w.threshold,
            window: w.window,
            direction: w.direction,
            hours: w.hours,
          },
        });
      }),
      FUZZ,
    );
  });
});

describe('fuzz: the command core writes nothing for a refused command', () => {
  const aws = useTestAws();
  let watches: DynamoWatchRepository;
  beforeAll(async () => {
    watches = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
  });

  it('leaves the Watches table as it was for every rejected /watch or /unwatch', async () => {
    const core = createCommandCore({ watches, maxWatchesPerUser: 3, now: () => 1_700_000_000_000 });
    let user = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('watch', 'unwatch'),
        fc.array(argument, { maxLength: 4 }),
        async (name, args) => {
          user += 1;
          const userKey = `console:fuzz${user}`;
          await core.run(userKey, 'watch', ['KEEP', '3%']);
          const before = await watches.listByUser(userKey);
          const result = await core.run(userKey, name, args);
          if (result.kind === 'rejected') expect(await watches.listByUser(userKey)).toEqual(before);
        },
      ),
      // Skip, not interrupt: an interrupted run keeps going unawaited, and the stack then closes under it
      // ("Database is closed" as an unhandled error on a loaded machine). A skip lets the run in flight finish.
      { numRuns: 60, skipAllAfterTimeLimit: 8_000 },
    );
  });
});
