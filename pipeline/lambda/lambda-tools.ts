import type { Context } from 'aws-lambda';
import { createPowertoolsLogger, type LambdaLogger } from '../../shared/log/powertools-logger.js';
import { PowertoolsMetrics } from '../../shared/metrics/powertools-metrics.js';

/** What every Lambda entry logs and counts with. */
export interface LambdaTools {
  readonly logger: LambdaLogger;
  readonly metrics: PowertoolsMetrics;
}

export function createLambdaTools(settings: { serviceName: string; metricsNamespace: string }): LambdaTools {
  return {
    logger: createPowertoolsLogger(settings.serviceName),
    metrics: new PowertoolsMetrics(settings.metricsNamespace, settings.serviceName),
  };
}

/**
 * The Lambda conventions around a handler: the invocation's context on every log entry (cold start,
 * request id), a cold-start metric, and the invocation's metrics published as EMF when it ends,
 * whether it returned or threw.
 */
export function lambdaHandler<E, R>(
  tools: LambdaTools,
  handle: (event: E) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    tools.logger.addContext(context);
    tools.metrics.startInvocation(context);
    try {
      return await handle(event);
    } finally {
      tools.metrics.flush();
    }
  };
}
