import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FeedTradeWriter } from '../../pipeline/feed/feed-trade-writer.js';
import { NullRecordSink } from '../../pipeline/producer/record-sink.js';
import { TradePacker } from '../../pipeline/producer/trade-packer.js';

const SYMBOLS = Array.from({ length: 40 }, (_, i) => `S${i}`);

function aWriter(sink: NullRecordSink, flushEveryMs?: number): FeedTradeWriter {
  return new FeedTradeWriter({
    packer: new TradePacker('binary'),
    sink,
    ...(flushEveryMs !== undefined && { flushEveryMs }),
    turns: 4,
    onFailure: () => undefined,
  });
}

function writeOneTradeEach(writer: FeedTradeWriter, ts: number): void {
  for (const symbol of SYMBOLS) writer.write({ symbol, price: 10, size: 100, ts });
}

describe('FeedTradeWriter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drains the symbols a turn at a time, and every symbol once per flush interval', async () => {
    const sink = new NullRecordSink();
    const writer = aWriter(sink, 100);
    writeOneTradeEach(writer, 1_700_000_000_000);

    await vi.advanceTimersByTimeAsync(25);
    expect(sink.records).toBeGreaterThan(0);
    expect(sink.records).toBeLessThan(SYMBOLS.length);

    await vi.advanceTimersByTimeAsync(75);
    expect(sink.records).toBe(SYMBOLS.length);

    writeOneTradeEach(writer, 1_700_000_000_100);
    await vi.advanceTimersByTimeAsync(100);
    expect(sink.records).toBe(2 * SYMBOLS.length);
    await writer.close();
    expect(sink.records).toBe(2 * SYMBOLS.length);
  });

  it('packs what is in hand on close, whatever the turn', async () => {
    const sink = new NullRecordSink();
    const writer = aWriter(sink);
    writeOneTradeEach(writer, 1_700_000_000_000);
    await writer.close();
    expect(sink.records).toBe(SYMBOLS.length);
  });
});
