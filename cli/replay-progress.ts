import { SingleBar } from 'cli-progress';
import type { ProduceProgress } from '../pipeline/producer/produce-trades.js';

/**
 * The progress bar of a replay on stderr (`npm start`, `stockalert produce`): share of the stored bytes
 * read, trades, trades/s, MB/s of stored bytes, rejects and ETA. Off a terminal (CI, pipes) it prints a
 * plain line every few seconds instead of redrawing.
 */
export class ReplayProgress {
  private readonly bar: SingleBar;
  private readonly startedAt = performance.now();
  private started = false;

  constructor(label = 'replay') {
    this.bar = new SingleBar({
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {trades} trades | {rate} trades/s | {mbps} MB/s | {rejected} rejected | ETA {eta_formatted}`,
      barsize: 20,
      hideCursor: false,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 40,
    });
  }

  update(progress: ProduceProgress): void {
    const total = progress.totalBytes ?? Math.max(progress.bytesRead, 1);
    const seconds = Math.max((performance.now() - this.startedAt) / 1000, 0.001);
    const payload = {
      trades: progress.trades.toLocaleString('en-US'),
      rate: Math.round(progress.trades / seconds).toLocaleString('en-US'),
      mbps: (progress.bytesRead / 1e6 / seconds).toFixed(1),
      rejected: progress.rejected.toLocaleString('en-US'),
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
