import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoRecipientRepository } from '../../shared/aws/dynamo-recipient-repository.js';
import { FakeDiscord } from '../fakes/fake-discord.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { startTestAws, type TestAws } from './embedded-aws.js';

/** The embedded stack's Alerts and Recipients tables beside a fake Discord and a fake Slack, for DM tests. */
export interface DeliveryFakes {
  readonly aws: TestAws;
  readonly discord: FakeDiscord;
  readonly slack: FakeSlack;
  readonly alerts: DynamoAlertRepository;
  readonly recipients: DynamoRecipientRepository;
  stop(): Promise<void>;
}

export async function startDeliveryFakes(): Promise<DeliveryFakes> {
  const [aws, discord, slack] = await Promise.all([startTestAws(), FakeDiscord.start(), FakeSlack.start()]);
  return {
    aws,
    discord,
    slack,
    alerts: new DynamoAlertRepository(aws.clients.dynamo, aws.names.alertsTable),
    recipients: new DynamoRecipientRepository(aws.clients.dynamo, aws.names.recipientsTable),
    async stop() {
      await Promise.all([discord.stop(), slack.stop()]);
      await aws.stop();
    },
  };
}
