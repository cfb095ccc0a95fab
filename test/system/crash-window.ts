import { paginateScan } from '@aws-sdk/lib-dynamodb';
import type { createAwsClients } from '../../shared/aws/aws-clients.js';
import type { Alert } from '../../shared/domain/alert.js';
import { expectedFingerprint } from './dm-ledger.js';

/**
 * The Slack send-then-crash windows a run went through: by fingerprint, the claims (`claimId`) that held
 * the alert's delivery when the harness killed the runner. Each such claim may have sent the DM without
 * recording it, so each allows one repeat; an alert in flight at two kills (sent, killed; taken over,
 * sent again, killed again) is owed two.
 */
export type CrashWindow = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The alerts in flight when the runner died (`sending`: sent or not, their `sent` record is missing), with
 * the claim that held each. Every page: a scan reads at most 1 MB a call before it filters.
 */
export async function rememberInFlight(
  clients: ReturnType<typeof createAwsClients>,
  table: string,
  crashWindow: Map<string, Set<string>>,
): Promise<{ alerts: number; pages: number }> {
  let alerts = 0;
  let pages = 0;
  const scan = paginateScan(
    { client: clients.dynamo },
    {
      TableName: table,
      FilterExpression: 'delivery = :sending',
      ExpressionAttributeValues: { ':sending': 'sending' },
    },
  );
  for await (const page of scan) {
    pages += 1;
    for (const item of page.Items ?? []) {
      alerts += 1;
      const fingerprint = expectedFingerprint(item as Alert);
      const claims = crashWindow.get(fingerprint) ?? new Set<string>();
      claims.add(String(item.claimId ?? item.claimedAt));
      crashWindow.set(fingerprint, claims);
    }
  }
  return { alerts, pages };
}
