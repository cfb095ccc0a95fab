import { type CfnElement, type Stack, Validations } from 'aws-cdk-lib';
import { CfnGlobalTable, CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { TaskDefinition } from 'aws-cdk-lib/aws-ecs';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';

/**
 * The cdk-nag AwsSolutions findings this app accepts, each with its reason. Anything not listed here
 * fails `cdk synth` (and the nag test).
 */
export function suppressAcceptedFindings(stack: Stack): void {
  const accept = (scope: IConstruct, id: string, reason: string) =>
    Validations.of(scope).acknowledge({ id, reason });
  for (const node of stack.node.findAll()) {
    if (node instanceof Queue) {
      accept(
        node,
        'AwsSolutions-SQS3',
        'This queue is itself the on-failure destination of a stream event source.',
      );
    } else if (node instanceof Secret) {
      accept(
        node,
        'AwsSolutions-SMG4',
        'Bot and feed tokens are issued by Discord, Slack and Alpaca; no rotation Lambda can mint them. ' +
          'They are rotated in the platform and put with put-secret-value (README "Deploy to AWS").',
      );
    } else if (node instanceof LambdaFunction) {
      accept(
        node,
        'AwsSolutions-L1',
        'Pinned to nodejs22.x: the bundles target Node 22 and the tests run that build (see infra/lambda-bundles.ts).',
      );
      accept(
        stack,
        `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(node.node.defaultChild as CfnElement)}.Arn>:*]`,
        "A Scheduler target's role (LambdaInvoke) may invoke the function's versions: that is the ':*'.",
      );
      if (node.role !== undefined) {
        accept(
          node.role,
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          'The managed basic execution policy only lets the function write its own logs.',
        );
      }
    } else if (node instanceof TaskDefinition) {
      accept(
        node,
        'AwsSolutions-ECS2',
        'The environment holds resource names and modes only; every credential is a Secrets Manager secret.',
      );
      if (node.executionRole !== undefined) {
        accept(
          node.executionRole,
          'AwsSolutions-IAM5[Resource::*]',
          'ecr:GetAuthorizationToken, needed to pull the image built from the Dockerfile, has no resource-level permissions.',
        );
      }
    } else if (node instanceof CfnGlobalTable || node instanceof CfnTable) {
      const logicalId = stack.getLogicalId(node as CfnElement);
      accept(
        stack,
        `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
        "grant*Data() covers the table's indexes: the detector and the bot query the bySymbol GSI.",
      );
    }
  }
}

/** The autoscaler reads CloudWatch metrics: GetMetricData accepts no resource narrower than '*'. */
export function acceptMetricReads(policyHolder: IConstruct): void {
  Validations.of(policyHolder).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'cloudwatch:GetMetricData supports no resource-level permissions; it is the only action on "*".',
  });
}

/** The feed connector writes its hourly archive objects, multipart for the large ones. */
export function acceptArchiveWrites(role: IConstruct, bucketLogicalId: string): void {
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/archive/*]`,
    reason:
      'The feed connector writes only under archive/, one object per hour: the prefix is the narrowest resource.',
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Action::s3:Abort*]',
    reason:
      'grantPut adds s3:Abort* so that a failed multipart upload of an archive object can be cleaned up.',
  });
}
