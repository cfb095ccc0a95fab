import { SingleBar } from 'cli-progress';
import type { ProduceProgress } from '../pipeline/producer/produce-trades.js';

/**
 * A progress bar on stderr for a replay: bytes of the object read, trades, trades/s, rejects and ETA.
 * Off a terminal (CI, pipes) it prints a plain line every few seconds instead of redrawing.
 */
export class ReplayProgress {
  private readonly bar = new SingleBar({
    stream: process.stderr,
    format:
      'replay [{bar}] {percentage}% | {trades} trades | {rate} trades/s | {rejected} rejected | ETA {eta_formatted}',
    barsize: 24,
    hideCursor: false,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    etaBuffer: 20,
  });
  private readonly startedAt = Date.now();
  private started = false;

  update(progress: ProduceProgress): void {
    const total = progress.totalBytes ?? Math.max(progress.bytesRead, 1);
    const seconds = Math.max((Date.now() - this.startedAt) / 1000, 0.001);
    const payload = {
      trades: progress.trades.toLocaleString('en-US'),
      rate: Math.round(progress.trades / seconds).toLocaleString('en-US'),
      rejected: progress.rejected,
    };
    if (!this.started) {
      this.bar.start(total, progress.bytesRead, payload);
      this.started = true;
    } else {
      this.bar.update(progress.bytesRead, payload);
    }
  }

  stop(): void {
    if (this.started) this.bar.stop();
  }
}
