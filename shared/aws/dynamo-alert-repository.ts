import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Alert } from '../domain/alert.js';
import type {
  AlertRepository,
  DeliveryClaim,
  DeliveryOutcome,
  RecordedAlert,
} from '../ports/alert-repository.js';

/** How long alert records are kept (TTL in the cloud) — long enough for history and digests. */
const RETENTION_SECONDS = 30 * 24 * 3600;

/**
 * Alerts table: PK userKey, SK alertId. Every state change is a conditional write, because
 * dynalite has no transactions and Kinesis redelivers.
 * Delivery moves `pending` → `sending` → `sent` | `failed`; a `sending` claim older than its lease
 * may be taken over (its holder crashed), which is why sends carry an idempotency key.
 * Each claim carries a random `claimId`; this instance remembers the ids it took, and finishing or
 * releasing is conditional on the item still carrying ours, so a slow holder whose lease ran out never
 * overwrites the attempt that took over.
 */
export class DynamoAlertRepository implements AlertRepository {
  /** The claim ids this instance holds, by `userKey\0alertId`. */
  private readonly claims = new Map<string, string>();
  /** The message key each held claim must be sent under (see AlertRepository.messageKeyOf). */
  private readonly messageKeys = new Map<string, string>();

  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async record(alert: Alert): Promise<RecordedAlert> {
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...alert,
            delivery: 'pending',
            emitted: false,
            createdAt: this.now(),
            expiresAt: Math.floor(this.now() / 1000) + RETENTION_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(alertId)',
        }),
      );
      return { created: true, emitted: false };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.dynamo.send(
        new GetCommand({ TableName: this.tableName, Key: this.key(alert), ConsistentRead: true }),
      );
      return { created: false, emitted: existing.Item?.emitted === true };
    }
  }

  async markEmitted(alert: Alert): Promise<void> {
    await this.dynamo.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(alert),
        UpdateExpression: 'SET emitted = :true',
        ConditionExpression: 'attribute_exists(alertId)',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
  }

  async claimDelivery(alert: Alert, leaseMs: number, messageKey?: string): Promise<DeliveryClaim> {
    const now = this.now();
    const claimId = randomUUID();
    try {
      const claimed = await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(alert),
          // The first claim's message key stays: a takeover after a crash sends under the same key.
          UpdateExpression: `SET delivery = :sending, claimedAt = :now, claimId = :claimId${
            messageKey === undefined ? '' : ', messageKey = if_not_exists(messageKey, :messageKey)'
          } ADD deliveryAttempts :one`,
          ConditionExpression: 'delivery = :pending OR (delivery = :sending AND claimedAt < :stale)',
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':pending': 'pending',
            ':now': now,
            ':stale': now - leaseMs,
            ':one': 1,
            ':claimId': claimId,
            ...(messageKey === undefined ? {} : { ':messageKey': messageKey }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      this.claims.set(this.claimKey(alert), claimId);
      const stored = claimed.Attributes?.messageKey;
      if (typeof stored === 'string') this.messageKeys.set(this.claimKey(alert), stored);
      else this.messageKeys.delete(this.claimKey(alert));
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(alert), ConsistentRead: true }),
    );
    return existing.Item?.delivery === 'sending' ? 'busy' : 'done';
  }

  async releaseDelivery(alert: Alert): Promise<void> {
    const claimId = this.takeClaim(alert);
    if (claimId === undefined) return;
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(alert),
          UpdateExpression: 'SET delivery = :pending REMOVE claimedAt, claimId',
          ConditionExpression: 'delivery = :sending AND claimId = :claimId',
          ExpressionAttributeValues: { ':pending': 'pending', ':sending': 'sending', ':claimId': claimId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async finishDelivery(alert: Alert, outcome: DeliveryOutcome): Promise<boolean> {
    const claimId = this.claims.get(this.claimKey(alert));
    if (claimId === undefined) return false;
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(alert),
          UpdateExpression:
            'SET delivery = :status, deliveredAt = :at, deliveryError = :reason REMOVE claimId',
          ConditionExpression: 'delivery = :sending AND claimId = :claimId',
          ExpressionAttributeValues: {
            ':status': outcome.status,
            ':at': this.now(),
            ':reason': outcome.status === 'failed' ? outcome.reason : null,
            ':sending': 'sending',
            ':claimId': claimId,
          },
        }),
      );
    } catch (error) {
      // A failed write keeps the claim, so the caller may retry it in place.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      this.takeClaim(alert);
      return false;
    }
    this.takeClaim(alert);
    return true;
  }

  messageKeyOf(alert: Alert): string | undefined {
    return this.messageKeys.get(this.claimKey(alert));
  }

  private takeClaim(alert: Alert): string | undefined {
    const key = this.claimKey(alert);
    const claimId = this.claims.get(key);
    this.claims.delete(key);
    this.messageKeys.delete(key);
    return claimId;
  }

  private claimKey(alert: Alert): string {
    return `${alert.userKey}\u0000${alert.alertId}`;
  }

  private key(alert: Alert): { userKey: string; alertId: string } {
    return { userKey: alert.userKey, alertId: alert.alertId };
  }
}
