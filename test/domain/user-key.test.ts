import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertUserKey,
  discordUserKey,
  formatUserKey,
  InvalidUserKeyError,
  parseUserKey,
  slackUserKey,
  type UserIdentity,
} from '../../shared/domain/user-key.js';

const RUNS = { numRuns: 300 };

const slackId = fc.stringMatching(/^[A-Z0-9]{1,32}$/);
const identity: fc.Arbitrary<UserIdentity> = fc.oneof(
  fc
    .bigInt({ min: 0n, max: 2n ** 64n - 1n })
    .map((id) => ({ platform: 'discord', userId: String(id) }) as const),
  fc.record({ platform: fc.constant('slack' as const), teamId: slackId, userId: slackId }),
  fc.record({
    platform: fc.constant('console' as const),
    name: fc.stringMatching(/^[A-Za-z0-9._|-]{1,64}$/),
  }),
);

describe('user keys', () => {
  it.each([
    'slack:T1',
    'slack::',
    'slack:T1:',
    'slack:t1:u1',
    'slack:T1:U1:X',
    'discord:1:2',
    'discord:',
    'discord:12a',
    'console:',
    'teams:U1',
    'discord:123456789012345678901',
  ])('refuses %j', (key) => {
    expect(parseUserKey(key)).toBeUndefined();
    expect(() => assertUserKey(key)).toThrow(InvalidUserKeyError);
  });

  it('builds the keys the adapters and messengers agree on', () => {
    expect(discordUserKey('300000000000000001')).toBe('discord:300000000000000001');
    expect(slackUserKey('T0FAKE0001', 'U0SLACK01')).toBe('slack:T0FAKE0001:U0SLACK01');
    expect(parseUserKey('slack:T0FAKE0001:U0SLACK01')).toEqual({
      platform: 'slack',
      teamId: 'T0FAKE0001',
      userId: 'U0SLACK01',
    });
    expect(() => slackUserKey('T1', 'U1:EVIL')).toThrow(InvalidUserKeyError);
    expect(() => discordUserKey('1:2')).toThrow(InvalidUserKeyError);
  });

  it('round-trips every well-formed identity (property)', () => {
    fc.assert(
      fc.property(identity, (id) => {
        expect(parseUserKey(formatUserKey(id))).toEqual(id);
      }),
      RUNS,
    );
  });

  it('never throws on any string, and what it accepts it formats back unchanged (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          identity.map(formatUserKey).map((key) => `${key}:`),
        ),
        (key) => {
          const parsed = parseUserKey(key);
          if (parsed !== undefined) expect(formatUserKey(parsed)).toBe(key);
        },
      ),
      RUNS,
    );
  });

  it('only ever throws InvalidUserKeyError when building from arbitrary ids (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        for (const build of [() => discordUserKey(a), () => slackUserKey(a, b)]) {
          try {
            const key = build();
            expect(parseUserKey(key)).toBeDefined();
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidUserKeyError);
          }
        }
      }),
      RUNS,
    );
  });
});
