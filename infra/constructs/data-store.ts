import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, type ITableV2, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  type KeyAttribute,
  type ResourceNames,
  TABLES,
  type TableDefinition,
} from '../../shared/aws/resources.js';

export type TableId = keyof typeof TABLES;

/** Producer rejects and checkpoints are for diagnosis and resuming, not archives. */
export const REJECTS_EXPIRE_DAYS = 30;
export const CHECKPOINTS_EXPIRE_DAYS = 14;

/**
 * The data bucket and every DynamoDB table of `shared/aws/resources.ts`: on-demand, point-in-time
 * recovery, AWS-owned encryption, TTL where the definition names an attribute.
 */
export class DataStore extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly tables: Record<TableId, ITableV2>;

  constructor(scope: Construct, id: string, names: ResourceNames) {
    super(scope, id);
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'Data', {
      // Bucket names are global: the account and region make the shared name unique.
      bucketName: `${names.bucket}-${Aws.ACCOUNT_ID}-${Aws.REGION}`,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: false,
      serverAccessLogsBucket: this.accessLogs as IBucket,
      serverAccessLogsPrefix: 'data/',
      lifecycleRules: [
        { id: 'rejects', prefix: 'rejects/', expiration: Duration.days(REJECTS_EXPIRE_DAYS) },
        { id: 'checkpoints', prefix: 'checkpoints/', expiration: Duration.days(CHECKPOINTS_EXPIRE_DAYS) },
        { id: 'uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const tables = {} as Record<TableId, ITableV2>;
    for (const [tableId, definition] of Object.entries(TABLES) as [TableId, TableDefinition][]) {
      tables[tableId] = tableFrom(this, tableId, definition, names);
    }
    this.tables = tables;
  }
}

function tableFrom(
  scope: Construct,
  tableId: string,
  definition: TableDefinition,
  names: ResourceNames,
): ITableV2 {
  return new TableV2(scope, `${tableId}Table`, {
    tableName: names[definition.nameKey],
    partitionKey: attribute(definition.partitionKey),
    ...(definition.sortKey && { sortKey: attribute(definition.sortKey) }),
    globalSecondaryIndexes: (definition.globalIndexes ?? []).map((index) => ({
      indexName: index.indexName,
      partitionKey: attribute(index.partitionKey),
      ...(index.sortKey && { sortKey: attribute(index.sortKey) }),
    })),
    ...(definition.ttlAttribute && { timeToLiveAttribute: definition.ttlAttribute }),
    billing: Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryptionV2.dynamoOwnedKey(),
    removalPolicy: RemovalPolicy.RETAIN,
  }) as ITableV2;
}

function attribute(key: KeyAttribute) {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}
