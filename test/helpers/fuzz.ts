import fc from 'fast-check';

/**
 * Bounds for every property of the fuzz suite: a fixed run count and a time cap per property, so the
 * whole suite stays within seconds on two cores. A failure prints its seed and path for replay
 * (`fc.assert(..., { seed, path })`).
 */
export const FUZZ: fc.Parameters<unknown> = { numRuns: 300, interruptAfterTimeLimit: 4_000 };

/** Strings a hostile or careless user or file would produce: ASCII, full Unicode, and symbol-like text. */
export const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    'ß',
    'ﬃ',
    'ı',
    'İ',
    '\u0000',
    '\uFFFD',
    '[object Object]',
    'Infinity',
    '1e309',
    '-0',
    'NaN',
  ),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9.-]{0,12}$/),
);

/** A symbol that follows the shared rule (symbol.ts). */
export const validSymbol = fc.stringMatching(/^[A-Z][A-Z0-9.-]{0,9}$/);
