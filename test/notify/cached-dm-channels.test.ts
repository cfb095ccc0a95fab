import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedDmChannels } from '../../pipeline/notify/cached-dm-channels.js';
import { DynamoRecipientRepository } from '../../shared/aws/dynamo-recipient-repository.js';
import { startTestAws, type TestAws } from '../helpers/embedded-aws.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';

describe('DM channels cached in front of the Recipients table', () => {
  let aws: TestAws;
  let table: DynamoRecipientRepository;

  beforeAll(async () => {
    aws = await startTestAws();
    table = new DynamoRecipientRepository(aws.clients.dynamo, aws.names.recipientsTable);
  });
  afterAll(async () => {
    await aws?.stop();
  });

  it('reads a channel from the table once, then answers from memory', async () => {
    // Prepare
    await table.saveDmChannel('discord:1', 'dm-a');
    const cached = new CachedDmChannels(table);
    // Act
    const first = await cached.dmChannel('discord:1');
    await table.saveDmChannel('discord:1', 'dm-changed-behind-its-back');
    const second = await cached.dmChannel('discord:1');
    // Assess
    expect([first, second]).toEqual(['dm-a', 'dm-a']);
  });

  it('answers with a reopened channel at once and writes it to the table behind', async () => {
    // Prepare
    const cached = new CachedDmChannels(table);
    await table.saveDmChannel('slack:T1:U1', 'D-old');
    await cached.dmChannel('slack:T1:U1');
    // Act
    await cached.saveDmChannel('slack:T1:U1', 'D-new');
    const answered = await cached.dmChannel('slack:T1:U1');
    await cached.flush();
    // Assess
    expect(answered).toBe('D-new');
    expect(await table.dmChannel('slack:T1:U1')).toBe('D-new');
  });

  it('keeps a channel whose table write failed, and logs it', async () => {
    // Prepare
    const { logger, lines } = memoryLogger();
    const unwritable: DynamoRecipientRepository = Object.create(table);
    unwritable.saveDmChannel = async () => {
      throw new Error('DynamoDB unreachable');
    };
    const cached = new CachedDmChannels(unwritable, logger);
    // Act
    await cached.saveDmChannel('discord:4', 'dm-c');
    await cached.flush();
    // Assess
    expect(await cached.dmChannel('discord:4')).toBe('dm-c');
    expect(lines.map((line) => line.message)).toContain(
      'dm channel not saved, it will be opened again after a restart',
    );
  });

  it('asks the table again for a recipient it had no channel for', async () => {
    // Prepare
    const cached = new CachedDmChannels(table);
    expect(await cached.dmChannel('discord:2')).toBeUndefined();
    // Act
    await table.saveDmChannel('discord:2', 'dm-b');
    // Assess
    expect(await cached.dmChannel('discord:2')).toBe('dm-b');
  });

  it('passes blocks through to the table, uncached', async () => {
    // Prepare
    const cached = new CachedDmChannels(table);
    const block = { code: '50007', reason: 'closed DMs', at: 1 };
    // Act
    await cached.markBlocked('discord:3', block);
    const seen = await cached.blocked('discord:3');
    await table.clearBlocked('discord:3');
    // Assess
    expect(seen).toEqual(block);
    expect(await cached.blocked('discord:3')).toBeUndefined();
  });

  /** The table, counting its single and batch reads. */
  function countingTable(fail?: { batches: number }) {
    const reads = { single: 0, batches: [] as string[][] };
    const counting: DynamoRecipientRepository = Object.create(table);
    counting.dmChannel = (userKey) => {
      reads.single += 1;
      return table.dmChannel(userKey);
    };
    counting.dmChannels = async (userKeys) => {
      reads.batches.push([...userKeys]);
      if (fail && fail.batches > 0) {
        fail.batches -= 1;
        throw new Error('ProvisionedThroughputExceededException');
      }
      return table.dmChannels(userKeys);
    };
    return { counting, reads };
  }

  it('reads the recipients asked for together in one batch read, and a recipient asked twice once', async () => {
    // Prepare
    await table.saveDmChannel('discord:10', 'dm-10');
    await table.saveDmChannel('slack:T1:U11', 'D11');
    const { counting, reads } = countingTable();
    const cached = new CachedDmChannels(counting);
    // Act
    const found = await Promise.all(
      ['discord:10', 'slack:T1:U11', 'discord:12', 'discord:10'].map((key) => cached.dmChannel(key)),
    );
    // Assess
    expect(found).toEqual(['dm-10', 'D11', undefined, 'dm-10']);
    expect(reads).toEqual({ single: 0, batches: [['discord:10', 'slack:T1:U11', 'discord:12']] });
    expect(await cached.dmChannel('slack:T1:U11')).toBe('D11');
    expect(reads.batches).toHaveLength(1);
  });

  it('fails every read waiting on a failed batch read, and asks the table again next time', async () => {
    // Prepare
    await table.saveDmChannel('discord:13', 'dm-13');
    const { counting, reads } = countingTable({ batches: 1 });
    const cached = new CachedDmChannels(counting);
    // Act
    const first = await Promise.allSettled([cached.dmChannel('discord:13'), cached.dmChannel('discord:14')]);
    const again = await cached.dmChannel('discord:13');
    // Assess
    expect(first.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(again).toBe('dm-13');
    expect(reads.batches).toEqual([['discord:13', 'discord:14'], ['discord:13']]);
  });

  it('reads more recipients than one BatchGetItem call takes', async () => {
    // Prepare
    const keys = Array.from({ length: 230 }, (_, i) => `discord:${20_000 + i}`);
    await Promise.all(keys.filter((_, i) => i % 3 === 0).map((key) => table.saveDmChannel(key, `dm-${key}`)));
    // Act
    const found = await table.dmChannels([...keys, keys[0] as string]);
    // Assess
    expect(found.size).toBe(77);
    expect(found.get('discord:20228')).toBe('dm-discord:20228');
    expect(found.has('discord:20229')).toBe(false);
  });
});
