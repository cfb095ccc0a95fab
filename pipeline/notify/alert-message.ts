import { createHash } from 'node:crypto';
import type { Alert } from '../../shared/domain/alert.js';
import { marketSessionAt } from '../../shared/domain/market-session.js';
import { describeWindow } from '../../shared/domain/window.js';
import type { AlertCard, DirectMessage, Picture } from '../../shared/ports/messenger.js';

const easternTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * The parts of one alert's message. First alerts read "BAC fell 4.1% in 15 min"; escalations
 * "BAC is now down 8.3% in 15 min"; pre-market and after-hours moves say so.
 */
export function alertCard(alert: Alert): AlertCard {
  const move = `${alert.movePct.toFixed(1)}%`;
  const window = describeWindow(alert.window);
  const escalation = alert.level > 1;
  const title = escalation
    ? `${alert.symbol} is now ${alert.direction} ${move} in ${window}`
    : `${alert.symbol} ${alert.direction === 'down' ? 'fell' : 'rose'} ${move} in ${window}`;
  const session = marketSessionAt(alert.toTs);
  const sessionNote =
    session === 'pre-market' ? ' · pre-market' : session === 'after-hours' ? ' · after hours' : '';
  const detail = `${formatPrice(alert.fromPrice)} → ${formatPrice(alert.toPrice)} · ${easternTime.format(alert.fromTs)} → ${easternTime.format(alert.toTs)} ET${sessionNote}`;
  const threshold = formatPercent(alert.thresholdPct);
  return {
    title,
    detail,
    rule: `Your alert: ${threshold} over ${alert.window}.`,
    tuning: `Tune it with /watch ${alert.symbol} ${formatPercent(alert.thresholdPct * 2)} ${alert.window}, or mute it with /unwatch ${alert.symbol}.`,
    direction: alert.direction,
    escalation,
  };
}

/**
 * One DM for all of a user's alerts in a batch (a burst of DMs helps nobody). The idempotency key
 * depends only on the alert ids, so every retry of the same delivery carries the same key.
 */
export function composeAlertMessage(alerts: readonly Alert[], chart?: Picture): DirectMessage {
  if (alerts.length === 0) throw new RangeError('composeAlertMessage needs at least one alert');
  const cards = alerts.map(alertCard);
  const text =
    cards.length === 1
      ? cardText(cards[0] as AlertCard)
      : `${cards.length} alerts:\n${cards.map((card) => `• ${cardText(card).replaceAll('\n', '\n  ')}`).join('\n')}`;
  return {
    text,
    cards,
    ...(chart === undefined ? {} : { chart }),
    idempotencyKey: idempotencyKeyOf(alerts),
  };
}

/** 25 characters: the most a Discord message nonce may carry. */
export function idempotencyKeyOf(alerts: readonly Alert[]): string {
  const ids = alerts.map((alert) => alert.alertId).sort();
  return createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 25);
}

function cardText(card: AlertCard): string {
  return `${card.title} (${card.detail.replace(' · ', ', ')})\n${card.rule} ${card.tuning}`;
}

function formatPrice(price: number): string {
  return price >= 1 ? price.toFixed(2) : price.toPrecision(3);
}

function formatPercent(pct: number): string {
  return `${Number(pct.toFixed(2))}%`;
}
