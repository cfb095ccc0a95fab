import type { LogFields, Logger } from '../../shared/ports/logger.js';

/** A logger that keeps what was logged, for tests that assert on it (and keeps test output quiet). */
export class RecordingLogger implements Logger {
  readonly entries: { level: string; message: string; fields?: LogFields }[] = [];
  debug(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'debug', message, ...(fields ? { fields } : {}) });
  }
  info(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'info', message, ...(fields ? { fields } : {}) });
  }
  warn(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'warn', message, ...(fields ? { fields } : {}) });
  }
  error(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'error', message, ...(fields ? { fields } : {}) });
  }
}
