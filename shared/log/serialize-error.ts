/** An error as a log field: the shape Powertools Logger writes, so local and Lambda logs read alike. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly cause?: unknown;
  readonly [attribute: string]: unknown;
}

/**
 * Turns an Error (and its `cause` chain, and own attributes such as `code`) into plain JSON.
 * The chain is cut at 8 levels, so a cyclic cause cannot loop.
 */
export function serializeError(error: Error, depth = 0): SerializedError {
  const { name, message, stack, cause, ...attributes } = error as Error & Record<string, unknown>;
  return {
    ...attributes,
    name,
    message,
    ...(stack === undefined ? {} : { stack }),
    ...(cause === undefined
      ? {}
      : { cause: cause instanceof Error && depth < 8 ? serializeError(cause, depth + 1) : cause }),
  };
}

/** A `JSON.stringify` replacer that writes every Error value with its stack and cause. */
export function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? serializeError(value) : value;
}
