/**
 * Fields of a log entry. `error` takes the error object itself (never `String(error)`): every logger
 * writes its name, message, stack and cause chain, so they reach CloudWatch and the local log file.
 */
export type LogFields = Record<string, unknown> & { readonly error?: unknown };

/**
 * Structured logging: a fixed lowercase message plus fields. Powertools Logger satisfies it in
 * Lambdas; local runs use a JSON-lines file logger. Never pass a token in `fields`.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}
