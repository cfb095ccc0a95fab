import { describe, expect, it } from 'vitest';
import { alertCard, composeAlertMessage, idempotencyKeyOf } from '../../pipeline/notify/alert-message.js';
import { CHART_HEIGHT, CHART_WIDTH, renderAlertChart } from '../../pipeline/notify/chart/alert-chart.js';
import { alertFactory, pngSize } from '../helpers/alerts.js';

describe('alert message', () => {
  it('says what moved, by how much, from what to what, and how to tune it', () => {
    const card = alertCard(alertFactory());
    expect(card.title).toBe('BAC fell 4.1% in 15 min');
    expect(card.detail).toBe('13.92 → 13.35 · 10:00 → 10:07 ET');
    expect(card.rule).toBe('Your alert: 3% over 15m.');
    expect(card.tuning).toBe('Tune it with /watch BAC 6% 15m, or mute it with /unwatch BAC.');
  });

  it('marks an escalation and a move outside regular hours', () => {
    const afterHours = Date.parse('2024-03-05T16:40:00-05:00');
    const card = alertCard(
      alertFactory({ level: 2, movePct: 8.3, fromTs: afterHours - 60_000, toTs: afterHours }),
    );
    expect(card.title).toBe('BAC is now down 8.3% in 15 min');
    expect(card.detail).toMatch(/ · after hours$/);
    const rise = alertCard(alertFactory({ direction: 'up', toTs: Date.parse('2024-03-05T08:10:00-05:00') }));
    expect(rise.title).toBe('BAC rose 4.1% in 15 min');
    expect(rise.detail).toMatch(/ · pre-market$/);
  });

  it('puts several alerts of one user into one message', () => {
    const alerts = [alertFactory(), alertFactory({ symbol: 'IBM', fromPrice: 186, toPrice: 180 })];
    const message = composeAlertMessage(alerts);
    expect(message.cards).toHaveLength(2);
    expect(message.text.split('\n')[0]).toBe('2 alerts:');
    expect(message.text).toContain('• BAC fell 4.1%');
    expect(message.text).toContain('• IBM fell 4.1%');
  });

  it('gives the same idempotency key to the same alerts in any order, and at most 25 characters', () => {
    const a = alertFactory();
    const b = alertFactory({ symbol: 'IBM' });
    expect(idempotencyKeyOf([a, b])).toBe(idempotencyKeyOf([b, a]));
    expect(idempotencyKeyOf([a, b])).toHaveLength(25);
    expect(idempotencyKeyOf([a])).not.toBe(idempotencyKeyOf([a, b]));
  });

  it('draws the window as a PNG of the chart size', async () => {
    const alert = alertFactory();
    const history = {
      pricesBetween: async (_symbol: string, fromTs: number, toTs: number) =>
        Array.from({ length: 30 }, (_, i) => ({
          ts: fromTs + ((toTs - fromTs) * i) / 29,
          price: 13.9 - i * 0.02,
        })),
    };
    const chart = await renderAlertChart(alert, history);
    expect(pngSize(chart.png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(chart.fileName).toBe('bac-15m.png');
    expect(chart.altText).toContain('13.92 → 13.35');
  });
});
