import { setBounded } from '../../shared/collections/bounded-map.js';
import type { Alert } from '../../shared/domain/alert.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Picture } from '../../shared/ports/messenger.js';
import type { PriceHistory } from '../../shared/ports/price-history.js';
import { renderAlertChart } from './chart/alert-chart.js';

/** Charts kept; the oldest goes beyond this many. */
const MAX_CACHED_CHARTS = 64;

/**
 * Recent alert charts by symbol, window and move: the watchers of one crossing share one query and render,
 * in one batch or in the concurrent batches of a parallelisation factor. A chart is a nicety: when it
 * cannot be drawn the DM goes without it, and a later batch (a retry) tries again.
 */
export class AlertChartCache {
  private readonly charts = new Map<string, Promise<Picture | undefined>>();

  constructor(
    private readonly priceHistory: PriceHistory | undefined,
    private readonly logger: Logger,
  ) {}

  chartFor(alert: Alert): Promise<Picture | undefined> {
    const priceHistory = this.priceHistory;
    if (priceHistory === undefined) return Promise.resolve(undefined);
    const key = [
      alert.symbol,
      alert.window,
      alert.direction,
      alert.fromTs,
      alert.fromPrice,
      alert.toTs,
      alert.toPrice,
      alert.movePct,
    ].join('|');
    let chart = this.charts.get(key);
    if (chart === undefined) {
      chart = renderAlertChart(alert, priceHistory).catch((error: unknown) => {
        this.logger.warn('chart rendering failed', { alertId: alert.alertId, error });
        this.charts.delete(key);
        return undefined;
      });
      setBounded(this.charts, key, chart, MAX_CACHED_CHARTS);
    }
    return chart;
  }
}
