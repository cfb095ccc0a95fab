import type { z } from 'zod';

/** A bad or missing environment variable. The message names every variable at fault. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses `env` with `schema` and fails fast with one line per bad variable,
 * e.g. `STOCKALERT_AWS: expected one of "embedded" | "aws", got "cloud"`.
 */
export function parseEnv<Schema extends z.ZodType>(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
  /** Variables (tokens, secrets) whose values must never appear in the message. */
  secrets: ReadonlySet<string> = new Set(),
): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
    const got =
      value === undefined ? '' : secrets.has(variable) ? ' (value hidden)' : `, got ${JSON.stringify(value)}`;
    return `  ${variable}: ${issue.message}${got}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
