import { beforeAll, describe, expect, it } from 'vitest';
import { renderConsoleReply } from '../../bot/console/console-text.js';
import { type CommandCore, createCommandCore } from '../../bot/core/command-core.js';
import type { CommandResult } from '../../bot/core/command-result.js';
import { DynamoRecipientRepository } from '../../shared/aws/dynamo-recipient-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { consoleUserKey } from '../../shared/domain/user-key.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { QuoteLookup } from '../../shared/ports/quote-lookup.js';
import { uniqueName } from '../helpers/embedded-aws.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const T0 = Date.UTC(2024, 0, 2, 15, 0, 0);

describe('command core on the embedded DynamoDB', () => {
  const aws = useTestAws();
  let watches: DynamoWatchRepository;
  let clock: number;
  let core: CommandCore;

  beforeAll(async () => {
    watches = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
    clock = T0;
    core = createCommandCore({ watches, maxWatchesPerUser: 3, now: () => clock });
  });

  /** Each test gets its own user (and symbols where the GSI is read), so tests cannot see each other. */
  function newUser(): string {
    return consoleUserKey(uniqueName('user'));
  }
  function newSymbol(): string {
    return `Z${uniqueName('')
      .slice(1, 7)
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, 'X')}`;
  }
  function run(userKey: string, line: string, onCore: CommandCore = core): Promise<CommandResult> {
    const [name = '', ...args] = line.replace(/^\//, '').split(' ');
    return onCore.run(userKey, name, args);
  }
  async function expectRejected(result: Promise<CommandResult>, code: string): Promise<void> {
    const settled = await result;
    expect(settled.kind === 'rejected' ? settled.error.code : settled.kind).toBe(code);
  }
  async function listOf(userKey: string): Promise<Watch[]> {
    return (await watches.listByUser(userKey)).sort((a, b) =>
      `${a.symbol}#${a.window}`.localeCompare(`${b.symbol}#${b.window}`),
    );
  }

  describe('/watch', () => {
    it('writes the watch under the user and under the symbol index', async () => {
      const user = newUser();
      const symbol = newSymbol();
      clock = T0 + 1_000;

      const result = await run(user, `/watch ${symbol.toLowerCase()} 2.5% 5m down regular`);

      const expected: Watch = {
        userKey: user,
        symbol,
        thresholdPct: 2.5,
        window: '5m',
        direction: 'down',
        hours: 'regular',
        createdAt: T0 + 1_000,
      };
      expect(result).toEqual({ kind: 'watched', watch: expected });
      expect(await watches.listByUser(user)).toEqual([expected]);
      expect(await watches.listBySymbol(symbol)).toEqual([expected]);
    });

    it('updates the watch on the same symbol and window in place, keeping createdAt', async () => {
      const user = newUser();
      const symbol = newSymbol();
      clock = T0;
      const first = await run(user, `/watch ${symbol} 3% 15m`);
      clock = T0 + 60_000;

      const second = await run(user, `/watch ${symbol} 15m 6% up`);

      expect(first.kind).toBe('watched');
      expect(second).toMatchObject({
        kind: 'watched',
        watch: { thresholdPct: 6, direction: 'up', createdAt: T0 },
        previous: { thresholdPct: 3, direction: 'both', createdAt: T0 },
      });
      const stored = await watches.listBySymbol(symbol);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ userKey: user, thresholdPct: 6, window: '15m', direction: 'up' });
    });

    it('keeps separate watches for separate windows of one symbol', async () => {
      const user = newUser();
      const symbol = newSymbol();

      for (const window of ['1m', '15m', '1d']) await run(user, `/watch ${symbol} 3% ${window}`);

      expect((await listOf(user)).map((watch) => watch.window)).toEqual(['15m', '1d', '1m']);
      expect(await watches.listBySymbol(symbol)).toHaveLength(3);
    });

    it('rejects a new watch beyond the limit and writes nothing, but still allows updates', async () => {
      const user = newUser();
      for (const symbol of ['AAA', 'BBB', 'CCC']) await run(user, `/watch ${symbol} 3%`);
      const before = await listOf(user);

      const full = await run(user, '/watch DDD 3% 5m');

      expect(full).toEqual({
        kind: 'rejected',
        error: { code: 'watchlist-full', symbol: 'DDD', window: '5m', limit: 3 },
      });
      expect(await listOf(user)).toEqual(before);
      expect((await watches.listBySymbol('DDD')).filter((watch) => watch.userKey === user)).toEqual([]);

      const update = await run(user, '/watch BBB 9%');
      expect(update).toMatchObject({ kind: 'watched', previous: { thresholdPct: 3 } });
      expect((await listOf(user)).map((watch) => [watch.symbol, watch.thresholdPct])).toEqual([
        ['AAA', 3],
        ['BBB', 9],
        ['CCC', 3],
      ]);
    });

    it.each([
      ['/watch', 'missing-symbol'],
      ['/watch B@C 3%', 'bad-symbol'],
      ['/watch \u00DFAC 3%', 'non-ascii-symbol'],
      ['/watch \uFB03 3%', 'non-ascii-symbol'],
      ['/watch \u0131BM 3%', 'non-ascii-symbol'],
      ['/watch SYM abc%', 'bad-threshold'],
      ['/watch SYM 51%', 'threshold-out-of-range'],
      ['/watch SYM 0.05', 'threshold-out-of-range'],
      ['/watch SYM 3% 15x', 'bad-window'],
      ['/watch SYM 3% sideways', 'unknown-argument'],
      ['/watch SYM 3% 4%', 'duplicate-argument'],
      ['/watchh SYM', 'unknown-command'],
      ['/unwatch SYM 15x', 'bad-window'],
      ['/unwatch NOTME', 'not-watching'],
      ['/unwatch SYM 5m', 'not-watching'],
    ])('rejects "%s" as %s and writes nothing', async (line, code) => {
      const user = newUser();
      const symbol = newSymbol();
      await run(user, `/watch ${symbol} 3% 15m`);
      const before = await listOf(user);

      await expectRejected(run(user, line.replace('SYM', symbol)), code);

      expect(await listOf(user)).toEqual(before);
      expect(await watches.listBySymbol(symbol)).toEqual(before);
    });

    it('accepts a symbol never seen in Quotes with a note, and adds no note for a known one', async () => {
      const user = newUser();
      const quotes: QuoteLookup = {
        async lastPrice(symbol) {
          return symbol === 'BAC' ? { price: 33.12 } : undefined;
        },
      };
      const withQuotes = createCommandCore({ watches, quotes, now: () => clock });

      const unseen = await run(user, '/watch QQQZ 3%', withQuotes);
      const known = await run(user, '/watch BAC 3%', withQuotes);

      expect(unseen).toMatchObject({ kind: 'watched', noTradesYet: true, watch: { symbol: 'QQQZ' } });
      expect(known.kind === 'watched' && known.noTradesYet).toBeUndefined();
      expect((await listOf(user)).map((watch) => watch.symbol)).toEqual(['BAC', 'QQQZ']);
    });
  });

  it('logs each command with its outcome and error code, for the user who sent it', async () => {
    const user = newUser();
    const lines: { message: string; fields: Record<string, unknown> | undefined }[] = [];
    const record = (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields });
    const logged = createCommandCore({
      watches,
      logger: { debug: record, info: record, warn: record, error: record },
    });

    await run(user, '/watch BAC 3%', logged);
    await run(user, '/watch BAC 0%', logged);

    expect(lines).toEqual([
      {
        message: 'command',
        fields: expect.objectContaining({ userKey: user, command: 'watch', outcome: 'watched' }),
      },
      {
        message: 'command',
        fields: expect.objectContaining({
          userKey: user,
          outcome: 'rejected',
          code: 'threshold-out-of-range',
        }),
      },
    ]);
  });

  describe('/unwatch', () => {
    async function userWithTwoSymbols(): Promise<{ user: string; a: string; b: string }> {
      const user = newUser();
      const [a, b] = [newSymbol(), newSymbol()];
      const big = createCommandCore({ watches, maxWatchesPerUser: 10, now: () => clock });
      for (const line of [`/watch ${a} 3% 5m`, `/watch ${a} 3% 15m`, `/watch ${b} 4% 1h`]) {
        expect((await run(user, line, big)).kind).toBe('watched');
      }
      return { user, a, b };
    }

    it('removes one window of a symbol', async () => {
      const { user, a, b } = await userWithTwoSymbols();

      const result = await run(user, `/unwatch ${a} 5m`);

      expect(result).toMatchObject({ kind: 'unwatched', removed: [{ symbol: a, window: '5m' }] });
      expect((await listOf(user)).map((watch) => `${watch.symbol} ${watch.window}`).sort()).toEqual(
        [`${a} 15m`, `${b} 1h`].sort(),
      );
      expect(await watches.listBySymbol(a)).toHaveLength(1);
    });

    it('removes every window of a symbol when no window is given', async () => {
      const { user, a, b } = await userWithTwoSymbols();

      const result = await run(user, `/unwatch ${a.toLowerCase()}`);

      expect(result.kind === 'unwatched' && result.removed.map((watch) => watch.window).sort()).toEqual([
        '15m',
        '5m',
      ]);
      expect((await listOf(user)).map((watch) => watch.symbol)).toEqual([b]);
      expect(await watches.listBySymbol(a)).toEqual([]);
    });

    it('clears the whole list with /unwatch all, then reports the list already empty', async () => {
      const { user, a, b } = await userWithTwoSymbols();

      const result = await run(user, '/unwatch all');

      expect(result).toMatchObject({ kind: 'unwatched', target: { kind: 'all' } });
      expect(result.kind === 'unwatched' && result.removed).toHaveLength(3);
      expect(await watches.listByUser(user)).toEqual([]);
      expect([...(await watches.listBySymbol(a)), ...(await watches.listBySymbol(b))]).toEqual([]);
      expect(await run(user, '/unwatch all')).toEqual({
        kind: 'rejected',
        error: { code: 'not-watching', target: { kind: 'all' } },
      });
    });

    it('reports a symbol that is not watched, naming it, and removes nothing', async () => {
      const { user } = await userWithTwoSymbols();
      const before = await listOf(user);

      const result = await run(user, '/unwatch NOPE 15m');

      expect(result).toEqual({
        kind: 'rejected',
        error: { code: 'not-watching', target: { kind: 'symbol', symbol: 'NOPE', window: '15m' } },
      });
      expect(await listOf(user)).toEqual(before);
    });
  });

  describe('isolation between users', () => {
    it("does not let a second user see or change the first user's list", async () => {
      const alice = newUser();
      const bob = newUser();
      const symbol = newSymbol();
      await run(alice, `/watch ${symbol} 3% 15m`);
      const aliceBefore = await listOf(alice);

      expect(await run(bob, '/watchlist')).toMatchObject({ kind: 'watchlist', entries: [] });
      await expectRejected(run(bob, `/unwatch ${symbol}`), 'not-watching');
      await expectRejected(run(bob, `/unwatch ${symbol} 15m`), 'not-watching');
      await expectRejected(run(bob, '/unwatch all'), 'not-watching');
      const bobWatch = await run(bob, `/watch ${symbol} 7% 15m`);

      expect(bobWatch).toMatchObject({ kind: 'watched', watch: { userKey: bob, thresholdPct: 7 } });
      expect(bobWatch.kind === 'watched' && bobWatch.previous).toBeUndefined();
      expect(await listOf(alice)).toEqual(aliceBefore);
      expect((await watches.listBySymbol(symbol)).map((watch) => watch.userKey).sort()).toEqual(
        [alice, bob].sort(),
      );
    });

    it('refuses a userKey no platform owns, before touching the table', async () => {
      const symbol = newSymbol();

      await expect(run('mallory', `/watch ${symbol}`)).rejects.toThrow(TypeError);
      await expect(run('console:', `/watch ${symbol}`)).rejects.toThrow(TypeError);

      expect(await watches.listBySymbol(symbol)).toEqual([]);
    });
  });

  describe('/watchlist', () => {
    it('lists the watches sorted by symbol and window, without prices when no lookup is given', async () => {
      const user = newUser();
      await run(user, '/watch MSFT 2% 1h up');
      await run(user, '/watch BAC 3% 15m');
      await run(user, '/watch BAC 1% 1m regular');

      const result = await run(user, '/watchlist');

      expect(result).toEqual({
        kind: 'watchlist',
        maxWatchesPerUser: 3,
        entries: [
          {
            watch: expect.objectContaining({
              symbol: 'BAC',
              window: '1m',
              hours: 'regular',
              thresholdPct: 1,
            }),
          },
          { watch: expect.objectContaining({ symbol: 'BAC', window: '15m', thresholdPct: 3 }) },
          { watch: expect.objectContaining({ symbol: 'MSFT', window: '1h', direction: 'up' }) },
        ],
      });
    });

    it('adds the last price from the quote lookup, and lists a symbol whose lookup fails without one', async () => {
      const user = newUser();
      const looked: string[] = [];
      const quotes: QuoteLookup = {
        async lastPrice(symbol) {
          looked.push(symbol);
          if (symbol === 'BAC') return { price: 33.12, dayChangePct: -1.5 };
          if (symbol === 'FAIL') throw new Error('quotes table unavailable');
          return undefined;
        },
      };
      const withQuotes = createCommandCore({ watches, quotes, maxWatchesPerUser: 10, now: () => clock });
      for (const line of ['/watch BAC 3% 5m', '/watch BAC 3% 1h', '/watch FAIL 3%', '/watch NEW 3%']) {
        await run(user, line, withQuotes);
      }
      // /watch looks symbols up too (for its "no trades seen yet" note); count only the list's lookups.
      looked.length = 0;

      const result = await run(user, '/watchlist', withQuotes);

      expect(result.kind === 'watchlist' && result.entries.map((entry) => entry.lastPrice)).toEqual([
        { price: 33.12, dayChangePct: -1.5 },
        { price: 33.12, dayChangePct: -1.5 },
        undefined,
        undefined,
      ]);
      expect(looked.sort()).toEqual(['BAC', 'FAIL', 'NEW']);
    });
  });

  it('refuses a limit below one', () => {
    expect(() => createCommandCore({ watches, maxWatchesPerUser: 0 })).toThrow(RangeError);
  });

  it('answers /help with the configured limit', async () => {
    expect(await run(newUser(), '/help')).toEqual({ kind: 'help', maxWatchesPerUser: 3 });
  });

  describe('blocked DMs', () => {
    it('tells the user once, at their next command, that an alert DM could not reach them', async () => {
      const recipients = new DynamoRecipientRepository(aws.clients.dynamo, aws.names.recipientsTable);
      const told = createCommandCore({ watches, recipients });
      const user = newUser();
      await recipients.markBlocked(user, {
        code: '50007',
        reason: 'Cannot send messages to this user',
        at: T0,
      });

      const first = await run(user, '/watchlist', told);
      const second = await run(user, '/watchlist', told);

      expect(first.notices).toEqual([{ kind: 'dms-blocked', code: '50007', at: T0 }]);
      expect(renderConsoleReply(first)).toContain('📪 An alert could not reach you by direct message');
      expect(second.notices).toBeUndefined();
      expect(await recipients.blocked(user)).toBeUndefined();
    });

    it('tells a user whose command was rejected too', async () => {
      const recipients = new DynamoRecipientRepository(aws.clients.dynamo, aws.names.recipientsTable);
      const told = createCommandCore({ watches, recipients });
      const user = newUser();
      await recipients.markBlocked(user, { code: 'user_not_found', reason: 'gone', at: T0 });

      const result = await run(user, '/watch', told);

      expect(result.kind).toBe('rejected');
      expect(result.notices?.[0]?.code).toBe('user_not_found');
    });
  });
});
