import { Duration } from 'aws-cdk-lib';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq, type StreamEventSourceProps } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { EventSourceSettings } from '../shared/aws/event-source-settings.js';

/**
 * A Lambda event source mapping with exactly the settings the local runner applies
 * (`shared/aws/event-source-settings.ts`), sending to the settings' on-failure queue.
 */
export function eventSourcePropsFrom(
  settings: EventSourceSettings,
  onFailureQueue: IQueue,
): StreamEventSourceProps {
  return {
    batchSize: settings.batchSize,
    maxBatchingWindow: Duration.seconds(settings.maxBatchingWindowSeconds),
    bisectBatchOnError: settings.bisectBatchOnError,
    retryAttempts: settings.retryAttempts,
    reportBatchItemFailures: settings.reportBatchItemFailures,
    startingPosition:
      settings.startingPosition === 'LATEST' ? StartingPosition.LATEST : StartingPosition.TRIM_HORIZON,
    // Lambda's own default (-1) is "no limit", which CDK expresses by leaving the property out.
    ...(settings.maxRecordAgeSeconds >= 0 && {
      maxRecordAge: Duration.seconds(settings.maxRecordAgeSeconds),
    }),
    parallelizationFactor: settings.parallelizationFactor,
    onFailure: new SqsDlq(onFailureQueue),
  };
}
