const BUILT_IN_ERRORS: readonly ErrorConstructor[] = [
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
];

/**
 * Prints a fatal error for a person. StockAlert's own error classes carry messages that say what to do,
 * so they print alone; a built-in error means a bug, so its stack follows.
 */
export function reportError(
  error: unknown,
  write: (text: string) => void = (t) => process.stderr.write(t),
): void {
  write(`stockalert: ${error instanceof Error ? error.message : String(error)}\n`);
  const unexpected =
    !(error instanceof Error) || BUILT_IN_ERRORS.includes(error.constructor as ErrorConstructor);
  if (unexpected && error instanceof Error && error.stack) write(`${error.stack}\n`);
}
