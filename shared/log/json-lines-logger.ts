import type { Writable } from 'node:stream';
import type { LogFields, Logger } from '../ports/logger.js';
import { errorReplacer } from './serialize-error.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * Structured JSON-lines logging for local runs, with the same fields Powertools writes in Lambda
 * (`level`, `message`, `timestamp`, `service`), errors with their stack and cause. Local runs send it to a file, keeping the terminal for the chat.
 */
export class JsonLinesLogger implements Logger {
  constructor(
    private readonly out: Writable,
    private readonly level: LogLevel = 'info',
    private readonly service = 'stockalert',
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  private write(level: Exclude<LogLevel, 'silent'>, message: string, fields: LogFields | undefined): void {
    if (RANK[level] < RANK[this.level] || this.out.destroyed) return;
    // Fields first, so that none can overwrite the fixed keys.
    const entry = {
      ...fields,
      level: level.toUpperCase(),
      message,
      timestamp: new Date().toISOString(),
      service: this.service,
    };
    this.out.write(`${JSON.stringify(entry, errorReplacer)}\n`);
  }
}
