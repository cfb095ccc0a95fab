/**
 * The two helpers of `npm run bench:feed`, each in its own process so the connector's process measures
 * the connector: `aws` runs the embedded stack (kinesalite, s3rver, dynalite); `fake` runs the fake
 * Alpaca and, on request, prints trades at a fixed rate. They talk to the parent over IPC.
 */
import { startEmbeddedAws } from '../shared/aws/embedded-aws.js';
import { FakeAlpaca, type ScriptTrade } from '../test/fakes/fake-alpaca.js';

export interface FeedRun {
  readonly seconds: number;
  readonly rate: number;
  readonly symbols: readonly string[];
}

const send = (message: unknown) => process.send?.(message);

async function runAws(): Promise<void> {
  const embedded = await startEmbeddedAws();
  send({ connection: embedded.connection });
  process.on('disconnect', () => void embedded.stop().then(() => process.exit(0)));
}

async function runFake(): Promise<void> {
  const fake = await FakeAlpaca.start();
  send({ keyId: fake.keyId, secret: fake.secret, streamUrl: fake.streamUrl('sip'), restUrl: fake.restUrl });
  process.on('message', (message: { run?: FeedRun; subscribed?: true }) => {
    if (message.subscribed) send({ subscribed: fake.subscribedTrades().length });
    if (message.run) void print(fake, message.run).then((sentTrades) => send({ sentTrades }));
  });
  process.on('disconnect', () => void fake.stop().then(() => process.exit(0)));
}

/** Prints `rate` trades a second, round-robin over the symbols, each stamped with its send time. */
function print(fake: FakeAlpaca, run: FeedRun): Promise<number> {
  const prices = run.symbols.map(() => 100);
  let sent = 0;
  let made = 0;
  const startedAt = Date.now();
  const endAt = startedAt + run.seconds * 1000;
  return new Promise((resolve) => {
    const tick = () => {
      const now = Date.now();
      const due = Math.floor(((Math.min(now, endAt) - startedAt) / 1000) * run.rate) - made;
      const batch: ScriptTrade[] = [];
      for (let n = 0; n < due; n += 1) {
        const s = made % run.symbols.length;
        made += 1;
        prices[s] = Math.max(1, (prices[s] ?? 100) + (Math.random() - 0.5) * 0.02);
        const price = Math.round((prices[s] ?? 100) * 100) / 100;
        batch.push({
          symbol: run.symbols[s] as string,
          price,
          size: 100,
          ts: now,
          id: made,
          exchange: 'V',
          conditions: ['@'],
          tape: 'C',
        });
      }
      // Frames of up to 1,000 trades, as the vendor batches them.
      for (let i = 0; i < batch.length; i += 1000) sent += fake.printTrades(batch.slice(i, i + 1000));
      if (now >= endAt) resolve(sent);
      else setTimeout(tick, 10);
    };
    tick();
  });
}

if (process.argv[2] === 'aws') await runAws();
else if (process.argv[2] === 'fake') await runFake();
