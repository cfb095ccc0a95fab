import { describe, expect, it } from 'vitest';
import { resendUnprocessed } from '../../shared/aws/resend-unprocessed.js';

describe('resendUnprocessed', () => {
  it('sends again only what the previous call left unprocessed, until nothing is left', async () => {
    const calls: string[][] = [];
    await resendUnprocessed(
      ['a', 'b', 'c', 'd'],
      { attempts: 5, firstPauseMs: 1 },
      async (pending) => {
        calls.push([...pending]);
        return pending.slice(2);
      },
      (left) => new Error(`${left} left`),
    );
    expect(calls).toEqual([
      ['a', 'b', 'c', 'd'],
      ['c', 'd'],
    ]);
  });

  it('gives up with its caller’s error after the last attempt still leaves some', async () => {
    let calls = 0;
    await expect(
      resendUnprocessed(
        ['a', 'b'],
        { attempts: 3, firstPauseMs: 1 },
        async (pending) => {
          calls += 1;
          return pending.slice(-1); // DynamoDB keeps refusing the last item
        },
        (left) => new Error(`${left} left after 3 calls`),
      ),
    ).rejects.toThrow('1 left after 3 calls');
    expect(calls).toBe(3);
  });

  it('makes no call for nothing', async () => {
    let calls = 0;
    await resendUnprocessed(
      [],
      { attempts: 3, firstPauseMs: 1 },
      async () => {
        calls += 1;
        return [];
      },
      () => new Error('never'),
    );
    expect(calls).toBe(0);
  });
});
