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
});
