import type { Alert } from '../../shared/domain/alert.js';
import { marketSessionAt } from '../../shared/domain/market-session.js';
import { describeWindow } from '../../shared/domain/window.js';
import type { DirectMessage } from '../../shared/ports/messenger.js';

const easternTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * The DM text for one alert, e.g.
 * `BAC fell 4.1% in 15 min (13.92 → 13.35, 10:02 → 10:09 ET)`.
 * Escalations say "now down 8.3%"; pre-market and after-hours moves say so.
 */
export function renderAlert(alert: Alert): DirectMessage {
  const move = `${alert.movePct.toFixed(1)}%`;
  const window = describeWindow(alert.window);
  const headline =
    alert.level > 1
      ? `${alert.symbol} is now ${alert.direction === 'down' ? 'down' : 'up'} ${move} in ${window}`
      : `${alert.symbol} ${alert.direction === 'down' ? 'fell' : 'rose'} ${move} in ${window}`;
  const session = marketSessionAt(alert.toTs);
  const sessionNote =
    session === 'pre-market' ? ' · pre-market' : session === 'after-hours' ? ' · after hours' : '';
  const prices = `${formatPrice(alert.fromPrice)} → ${formatPrice(alert.toPrice)}`;
  const times = `${easternTime.format(alert.fromTs)} → ${easternTime.format(alert.toTs)} ET`;
  const tuning = `Your alert: ${alert.thresholdPct}% over ${alert.window}. Tune it with /watch ${alert.symbol} ${alert.thresholdPct * 2}% ${alert.window}, or mute it with /unwatch ${alert.symbol}.`;
  return { text: `${headline} (${prices}, ${times})${sessionNote}\n${tuning}` };
}

function formatPrice(price: number): string {
  return price >= 1 ? price.toFixed(2) : price.toPrecision(3);
}
