import { PassThrough } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleChat, DM_PREFIX, NOT_A_COMMAND_REPLY } from '../../bot/console/console-chat.js';
import { ConsoleMessenger } from '../../bot/console/console-messenger.js';
import { type CommandCore, createCommandCore } from '../../bot/core/command-core.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { consoleUserKey } from '../../shared/domain/user-key.js';
import { PermanentDeliveryError } from '../../shared/ports/messenger.js';
import { uniqueName } from '../helpers/embedded-aws.js';
import { useTestAws } from '../helpers/use-test-aws.js';

/** Polls until `predicate` holds; the timeout only bounds a hung test, it is not asserted on. */
async function waitFor(predicate: () => boolean, explain: () => string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting; ${explain()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Session {
  readonly chat: ConsoleChat;
  readonly input: PassThrough;
  readonly output: PassThrough;
  readonly userKey: string;
  readonly closes: { count: number };
  text(): string;
  type(line: string): void;
  /** Waits until the output, from `from` on, contains `needle`; returns that part of the output. */
  waitForOutput(needle: string, from?: number): Promise<string>;
}

describe('console chat', () => {
  const aws = useTestAws();
  let watches: DynamoWatchRepository;
  let core: CommandCore;
  const sessions: Session[] = [];

  beforeAll(async () => {
    watches = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
    core = createCommandCore({ watches });
  });
  afterEach(() => {
    for (const session of sessions.splice(0)) session.chat.close();
  });

  function openChat(options: { terminal?: boolean; core?: CommandCore } = {}): Session {
    const input = new PassThrough();
    const output = new PassThrough();
    output.setEncoding('utf8');
    let written = '';
    output.on('data', (chunk: string) => {
      written += chunk;
    });
    const userKey = consoleUserKey(uniqueName('tester'));
    const closes = { count: 0 };
    const chat = new ConsoleChat({
      core: options.core ?? core,
      input,
      output,
      userKey,
      ...(options.terminal === undefined ? {} : { terminal: options.terminal }),
      onClose: () => {
        closes.count += 1;
      },
    });
    chat.start();
    const session: Session = {
      chat,
      input,
      output,
      userKey,
      closes,
      text: () => written,
      type: (line) => input.write(line),
      async waitForOutput(needle, from = 0) {
        await waitFor(
          () => written.indexOf(needle, from) >= 0,
          () => `for ${JSON.stringify(needle)} in ${JSON.stringify(written.slice(from))}`,
        );
        return written.slice(from);
      },
    };
    sessions.push(session);
    return session;
  }

  it('confirms /watch BAC 3% 15m and writes the watch for its own user', async () => {
    const session = openChat();

    session.type('/watch BAC 3% 15m\n');

    await session.waitForOutput('✅ Watching BAC 15m: alert when it rises or falls 3% within 15 min');
    expect(await watches.listByUser(session.userKey)).toEqual([
      expect.objectContaining({ symbol: 'BAC', thresholdPct: 3, window: '15m', direction: 'both' }),
    ]);
  });

  it('prints the specific error with what to type instead, and writes nothing', async () => {
    const session = openChat();

    session.type('/watch BAC 3% 15x\n');

    await session.waitForOutput(
      '"15x" is not a window. Use one of 1m, 5m, 15m, 1h, 1d — for example /watch BAC 3% 15m\n',
    );
    expect(await watches.listByUser(session.userKey)).toEqual([]);
  });

  it.each([
    ['a bad symbol', '/watch B@C 3%', '"B@C" is not a stock symbol'],
    ['a zero threshold', '/watch BAC 0%', '"0%" is out of range. Use a threshold from 0.1% to 50%'],
    ['a negative threshold', '/watch BAC -2%', '"-2%" is out of range: the threshold is a size'],
    ['an absurd threshold', '/watch BAC 1000%', '"1000%" is out of range'],
    ['an unknown window', '/watch BAC 3% 2h', '"2h" is not a window'],
    ['unwatching a symbol not watched', '/unwatch TSLA', 'You are not watching TSLA.'],
  ])('answers %s with its own error and writes nothing', async (_, line, expected) => {
    const session = openChat();
    session.type('/watch MSFT 2%\n');
    await session.waitForOutput('✅ Watching MSFT 15m');
    const before = await watches.listByUser(session.userKey);
    const mark = session.text().length;

    session.type(`${line}\n`);

    await session.waitForOutput(`⚠️ ${expected}`, mark);
    expect(await watches.listByUser(session.userKey)).toEqual(before);
  });

  it('answers a full watchlist with the limit and writes nothing', async () => {
    const session = openChat({ core: createCommandCore({ watches, maxWatchesPerUser: 2 }) });
    session.type('/watch AAPL 5m\n/watch AAPL 1h\n/watch AMZN\n');
    await session.waitForOutput('⚠️ Your watchlist is full (2 watches), so AMZN 15m was not added.');
    expect((await watches.listByUser(session.userKey)).map((watch) => watch.symbol)).toEqual([
      'AAPL',
      'AAPL',
    ]);
  });

  it('removes watches with /unwatch and clears the list with /unwatch all', async () => {
    const session = openChat();
    session.type('/watch AMD 5m\n/watch AMD 1h\n/watch BAC\n/unwatch AMD 1h\n');
    await session.waitForOutput('🗑️ Stopped watching AMD (1h).');
    expect((await watches.listByUser(session.userKey)).map((w) => `${w.symbol} ${w.window}`).sort()).toEqual([
      'AMD 5m',
      'BAC 15m',
    ]);
    session.type('/unwatch all\n');
    await session.waitForOutput('🗑️ Cleared your watchlist (2 watches removed).');
    expect(await watches.listByUser(session.userKey)).toEqual([]);
  });

  it('answers each line in the order typed', async () => {
    const session = openChat();

    session.type('/watch MSFT 2% 1h\n/unwatch MSFT 5m\n/watchlist\n');

    const out = await session.waitForOutput('📋 Your watchlist (1 of 50)');
    const order = ['✅ Watching MSFT 1h', 'You are not watching MSFT 5m', '📋 Your watchlist'].map((text) =>
      out.indexOf(text),
    );
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toMatch(/MSFT\s+2%\s+1h\s+both\s+all hours/);
  });

  it('lists every command with an example on /help', async () => {
    const session = openChat();

    session.type('/help\n');

    const out = await session.waitForOutput('/help ');
    for (const usage of [
      '/watch SYMBOL [threshold] [window] [direction] [hours]',
      '/watch BAC 3% 15m',
      '/unwatch SYMBOL [window]',
      '/unwatch all',
      '/watchlist',
    ]) {
      expect(out).toContain(usage);
    }
  });

  it('ignores blank lines and answers plain text with a hint to type /help', async () => {
    const session = openChat();

    session.type('\n   \nhello bot\n');

    await session.waitForOutput(NOT_A_COMMAND_REPLY);
    await session.waitForOutput('> ', session.text().indexOf(NOT_A_COMMAND_REPLY));
    expect(session.text().replaceAll('> ', '').trim()).toBe(NOT_A_COMMAND_REPLY);
  });

  it('prints a DM on its own line and shows the prompt again after it', async () => {
    const session = openChat();
    await session.waitForOutput('> ');

    session.chat.showDirectMessage('BAC fell 4.1% in the last 15 minutes');

    await session.waitForOutput('minutes\n> ');
    expect(session.text()).toBe(`> \n${DM_PREFIX}BAC fell 4.1% in the last 15 minutes\n> `);
  });

  it('shows a DM sent through a ConsoleMessenger wired to the chat', async () => {
    const session = openChat();
    await session.waitForOutput('> ');
    const messenger = new ConsoleMessenger((_userKey, text) => session.chat.showDirectMessage(text));

    await messenger.sendDirect(session.userKey, { text: 'NVDA rose 3.0% in the last 5 minutes' });

    expect(session.text()).toContain(`${DM_PREFIX}NVDA rose 3.0% in the last 5 minutes\n`);
  });

  it('keeps a half-typed line intact on a terminal when a DM arrives', async () => {
    const session = openChat({ terminal: true });
    session.type('/watch BA');
    await session.waitForOutput('/watch BA');
    const before = session.text().length;

    session.chat.showDirectMessage('TSLA rose 5.2% in the last 1 hour');

    const after = await session.waitForOutput('> /watch BA', before);
    // Clear the line, go to its start, print the DM, then redraw the prompt with what was typed.
    expect(after.startsWith('\u001b[2K\u001b[1G📩 DM: TSLA rose 5.2% in the last 1 hour\n')).toBe(true);

    session.type('C 4%\r');
    await session.waitForOutput('✅ Watching BAC 15m', before);
    expect(await watches.listByUser(session.userKey)).toEqual([
      expect.objectContaining({ symbol: 'BAC', thresholdPct: 4 }),
    ]);
  });

  it('reports a failing command and keeps answering', async () => {
    const broken = createCommandCore({
      watches: new DynamoWatchRepository(aws.clients.dynamo, 'no-such-table'),
    });
    const session = openChat({ core: broken });

    session.type('/watchlist\n/help\n');

    const out = await session.waitForOutput('/unwatch all');
    expect(out).toContain('⚠️ That command could not be completed');
    expect(out.indexOf('could not be completed')).toBeLessThan(out.indexOf('Commands:'));
  });

  it('uses console:local when no userKey is given', () => {
    expect(new ConsoleChat({ core, input: new PassThrough(), output: new PassThrough() }).userKey).toBe(
      'console:local',
    );
  });

  it('calls onClose once when the input ends, after answering what was typed, leaving the streams open', async () => {
    const session = openChat();

    session.input.end('/watch NVDA 4%\n');
    await session.chat.closed;

    expect(session.closes.count).toBe(1);
    expect(session.text()).toContain('✅ Watching NVDA 15m');
    expect(await watches.listByUser(session.userKey)).toHaveLength(1);
    expect(session.output.writableEnded).toBe(false);
    session.chat.close();
    expect(session.closes.count).toBe(1);
  });

  it('closes on close() without ending or destroying its streams', async () => {
    const session = openChat();
    await session.waitForOutput('> ');

    session.chat.close();
    await session.chat.closed;

    expect(session.closes.count).toBe(1);
    expect(session.input.destroyed).toBe(false);
    expect(session.input.writableEnded).toBe(false);
    expect(session.output.writableEnded).toBe(false);
    // Typing after close is not answered.
    const length = session.text().length;
    session.type('/help\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(session.text().slice(length)).not.toContain('Commands:');
  });
});

describe('ConsoleMessenger', () => {
  it('hands a console user’s DM to the sink', async () => {
    const delivered: [string, string][] = [];
    const messenger = new ConsoleMessenger((userKey, text) => delivered.push([userKey, text]));

    await messenger.sendDirect('console:local', { text: 'BAC fell 4.1% in the last 15 minutes' });

    expect(delivered).toEqual([['console:local', 'BAC fell 4.1% in the last 15 minutes']]);
  });

  it.each(['discord:123', 'slack:T1:U1', 'nonsense'])(
    'rejects %s permanently without calling the sink',
    async (userKey) => {
      const delivered: string[] = [];
      const messenger = new ConsoleMessenger((key) => delivered.push(key));

      const sending = messenger.sendDirect(userKey, { text: 'hi' });

      await expect(sending).rejects.toBeInstanceOf(PermanentDeliveryError);
      await expect(sending).rejects.toThrow(/no messenger is configured/);
      expect(delivered).toEqual([]);
    },
  );

  it('names the platform it has no messenger for', async () => {
    const messenger = new ConsoleMessenger(() => {});
    await expect(messenger.sendDirect('discord:123', { text: 'hi' })).rejects.toThrow('platform discord');
  });
});
