import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleChat } from '../../bot/console/console-chat.js';
import { createCommandCore } from '../../bot/core/command-core.js';
import { DynamoSubscriptionRepository } from '../../shared/aws/dynamo-subscription-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { consoleUserKey } from '../../shared/domain/user-key.js';
import { waitUntil } from '../fakes/wait.js';
import { useTestAws } from '../helpers/use-test-aws.js';

describe('/digest in the console chat', () => {
  const aws = useTestAws();

  it('treats the terminal as a channel its user manages: on, show and off', async () => {
    const subscriptions = new DynamoSubscriptionRepository(aws.clients.dynamo, aws.names.subscriptionsTable);
    const core = createCommandCore({
      watches: new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable),
      subscriptions,
    });
    const input = new PassThrough();
    const output = new PassThrough();
    output.setEncoding('utf8');
    let written = '';
    output.on('data', (chunk: string) => {
      written += chunk;
    });
    const chat = new ConsoleChat({
      core,
      input,
      output,
      userKey: consoleUserKey('tester'),
      onClose: () => {},
    });
    chat.start();
    try {
      input.write('/digest on hourly BAC\n');
      await waitUntil(() => (written.includes('Digest on') ? true : undefined), 'the /digest on answer');
      expect(written).toContain('✅ Digest on: hourly, 10:00–16:00 ET on trading days, covering BAC.');
      expect(await subscriptions.get('console:terminal')).toMatchObject({ symbols: ['BAC'] });
      input.write('/digest off\n');
      await waitUntil(() => (written.includes('Digest off') ? true : undefined), 'the /digest off answer');
      expect(await subscriptions.get('console:terminal')).toBeUndefined();
    } finally {
      chat.close();
    }
  });
});
