import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { LambdaBundle } from './lambda-bundles.js';
import { suppressAcceptedFindings } from './nag-suppressions.js';
import { StockAlertStack } from './stacks/stockalert-stack.js';

export const STACK_NAME = 'StockAlert';

export interface StockAlertAppProps extends AppProps {
  readonly bundles?: readonly LambdaBundle[];
}

/** The CDK app: one stack, checked by cdk-nag's AwsSolutions pack (accepted findings carry a reason). */
export function createStockAlertApp(props: StockAlertAppProps = {}): { app: App; stack: StockAlertStack } {
  const { bundles, ...appProps } = props;
  const app = new App(appProps);
  const stack = new StockAlertStack(app, STACK_NAME, {
    description: 'StockAlert: stock-move alerts for Slack and Discord (S3 → Kinesis → Lambda → DynamoDB)',
    ...(bundles && { bundles }),
  });
  suppressAcceptedFindings(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
