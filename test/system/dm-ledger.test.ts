import { describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/domain/alert.js';
import { alertFactory } from '../helpers/alerts.js';
import { type DeliveredCard, expectedFingerprint, verdictOf } from './dm-ledger.js';

const slackAlert = alertFactory({ userKey: 'slack:T0FAKE0001:U0SYS00089' });
const discordAlert = alertFactory({ userKey: 'discord:600000000000000014' });

/** `times` copies of an alert's card, as the fake platform received them, a second apart. */
function received(alert: Alert, times: number): DeliveredCard[] {
  return Array.from({ length: times }, (_, i) => ({
    userKey: alert.userKey,
    fingerprint: expectedFingerprint(alert),
    receivedAt: Date.parse('2026-12-04T11:17:42Z') + i * 1_000,
  }));
}

describe('the verdict of a fault run', () => {
  it('counts a Slack repeat apart for each claim a kill abandoned: sent, killed, taken over, sent, killed, sent', () => {
    // bench:e2e, seed 2026: received 11:17:42.35, kill; 11:17:45.11 (the takeover), kill at 45.21; 11:17:49.06.
    const crashWindow = new Map([[expectedFingerprint(slackAlert), new Set(['claim-1', 'claim-2'])]]);

    const verdict = verdictOf([slackAlert], received(slackAlert, 3), crashWindow);

    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, slackCrashWindowDuplicates: 2, spurious: 0 });
  });

  it('counts a Slack repeat beyond the abandoned claims as duplicated', () => {
    const crashWindow = new Map([[expectedFingerprint(slackAlert), new Set(['claim-1'])]]);

    const verdict = verdictOf([slackAlert], received(slackAlert, 3), crashWindow);

    expect(verdict).toMatchObject({ duplicated: 1, slackCrashWindowDuplicates: 1 });
    expect(verdict.examples).toEqual([
      expect.stringMatching(/^duplicated: slack:.*\(received .*, .*, .*\)$/),
    ]);
  });

  it('never excuses a Discord repeat: the nonce must have caught it', () => {
    const crashWindow = new Map([[expectedFingerprint(discordAlert), new Set(['claim-1'])]]);

    const verdict = verdictOf([discordAlert], received(discordAlert, 2), crashWindow);

    expect(verdict).toMatchObject({ duplicated: 1, slackCrashWindowDuplicates: 0 });
  });

  it('counts a Slack repeat of an alert that no kill caught in flight as duplicated', () => {
    const verdict = verdictOf([slackAlert], received(slackAlert, 2), new Map());

    expect(verdict).toMatchObject({ duplicated: 1, slackCrashWindowDuplicates: 0 });
  });
});
