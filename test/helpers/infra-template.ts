import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { LambdaBundle } from '../../infra/lambda-bundles.js';
import type { StockAlertStack } from '../../infra/stacks/stockalert-stack.js';
import { createStockAlertApp } from '../../infra/stockalert-app.js';

/** A prebuilt image, so that no test needs Docker or stages the repo as an image asset. */
export const TEST_BOT_IMAGE = 'public.ecr.aws/stockalert/bot:test';

export interface SynthesizedStack {
  readonly stack: StockAlertStack;
  readonly template: Template;
  /** cdk-nag AwsSolutions findings that no acknowledgment covers, as `rule path`. */
  readonly unacknowledgedFindings: () => string[];
}

/**
 * The StockAlert stack with `context`, bundling skipped (the bundle test bundles for real).
 */
export function synthStockAlert(
  context: Record<string, unknown> = {},
  bundles?: readonly LambdaBundle[],
): SynthesizedStack {
  const { app, stack } = createStockAlertApp({
    context: { 'aws:cdk:bundling-stacks': [], botImageUri: TEST_BOT_IMAGE, ...context },
    ...(bundles && { bundles }),
  });
  const template = Template.fromStack(stack);
  return {
    stack,
    template,
    unacknowledgedFindings: () =>
      (new AwsSolutionsChecks(app).validateScope(stack).violations ?? []).flatMap((violation) =>
        violation.violatingResources.map(
          (resource) => `${violation.ruleName} ${resource.constructPath ?? ''}`,
        ),
      ),
  };
}

/** The logical id of the one resource of `type` whose logical id starts with `prefix`. */
export function logicalIdOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} named ${prefix}…, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}

interface PolicyStatement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Effect: string;
}

/** Every IAM statement of the policies attached to the role whose logical id starts with `rolePrefix`. */
export function statementsOfRole(template: Template, rolePrefix: string): PolicyStatement[] {
  const roleId = logicalIdOf(template, 'AWS::IAM::Role', rolePrefix);
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => {
    const roles = (policy.Properties.Roles ?? []) as { Ref?: string }[];
    if (!roles.some((role) => role.Ref === roleId)) return [];
    return policy.Properties.PolicyDocument.Statement as PolicyStatement[];
  });
}

export function actionsOf(statements: readonly PolicyStatement[]): string[] {
  return statements.flatMap((statement) =>
    Array.isArray(statement.Action) ? statement.Action : [statement.Action],
  );
}
