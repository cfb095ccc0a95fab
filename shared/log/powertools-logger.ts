import { Logger as Powertools } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { LogFields, Logger } from '../ports/logger.js';

/** The Logger port on Powertools Logger, for Lambda entry points (JSON to CloudWatch). */
export interface LambdaLogger extends Logger {
  /** Adds the invocation's context (cold start, request id, function name) to every following entry. */
  addContext(context: Context): void;
}

/**
 * Powertools writes error values (in `error` or any other field) with name, message, stack and
 * cause, so nothing here flattens them.
 */
export function createPowertoolsLogger(serviceName: string): LambdaLogger {
  const logger = new Powertools({ serviceName });
  return {
    debug: (message: string, fields?: LogFields) => logger.debug(message, fields ?? {}),
    info: (message: string, fields?: LogFields) => logger.info(message, fields ?? {}),
    warn: (message: string, fields?: LogFields) => logger.warn(message, fields ?? {}),
    error: (message: string, fields?: LogFields) => logger.error(message, fields ?? {}),
    addContext: (context: Context) => logger.addContext(context),
  };
}
