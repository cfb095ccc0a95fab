import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../shared/ports/logger.js';

/**
 * Bolt's logger interface over the project's structured Logger, so Bolt does not print to the terminal
 * the chat owns. Bolt's messages are free text; they go in `detail`. Debug output is dropped unless asked for.
 */
export function boltLogger(logger: Logger | undefined, level: LogLevel = LogLevel.WARN): BoltLogger {
  let current = level;
  let name = 'bolt';
  const text = (parts: unknown[]) =>
    parts.map((part) => (typeof part === 'string' ? part : String(part))).join(' ');
  const rank = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
  const enabled = (wanted: LogLevel) => rank.indexOf(wanted) >= rank.indexOf(current);
  return {
    debug: (...parts) => {
      if (enabled(LogLevel.DEBUG)) logger?.debug('slack library', { source: name, detail: text(parts) });
    },
    info: (...parts) => {
      if (enabled(LogLevel.INFO)) logger?.info('slack library', { source: name, detail: text(parts) });
    },
    warn: (...parts) => {
      if (enabled(LogLevel.WARN)) logger?.warn('slack library', { source: name, detail: text(parts) });
    },
    error: (...parts) => {
      if (enabled(LogLevel.ERROR)) logger?.error('slack library', { source: name, detail: text(parts) });
    },
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    setName: (next) => {
      name = next;
    },
  };
}
