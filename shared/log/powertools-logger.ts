import { Logger as Powertools } from '@aws-lambda-powertools/logger';
import type { LogFields, Logger } from '../ports/logger.js';

/** The Logger port on Powertools Logger, for Lambda entry points (JSON to CloudWatch). */
export function createPowertoolsLogger(serviceName: string): Logger {
  const logger = new Powertools({ serviceName });
  return {
    debug: (message: string, fields?: LogFields) => logger.debug(message, fields ?? {}),
    info: (message: string, fields?: LogFields) => logger.info(message, fields ?? {}),
    warn: (message: string, fields?: LogFields) => logger.warn(message, fields ?? {}),
    error: (message: string, fields?: LogFields) => logger.error(message, fields ?? {}),
  };
}
