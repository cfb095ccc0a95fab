/**
 * The one rule for a stock symbol, wherever it comes from (a `/watch` command, a market-data file, a
 * feed): 1–10 characters of A–Z, 0–9, "." and "-", starting with a letter (BAC, BRK.B, BF-B). The same
 * rule on both sides means anything the producer accepts can be watched, and a symbol can never be
 * too long for a Kinesis partition key (256 characters) or a DynamoDB key.
 */
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9.-]{0,9}$/;

export type SymbolReading =
  | { readonly ok: true; readonly symbol: string }
  /** `character` is the first one outside printable ASCII, as typed. */
  | { readonly ok: false; readonly problem: 'not-ascii'; readonly character: string }
  | { readonly ok: false; readonly problem: 'bad-shape' };

/** Printable ASCII only (space to tilde). */
const NOT_ASCII = /[^\x20-\x7e]/u;

/**
 * Reads a symbol as typed or stored (any case, surrounding spaces ignored) into its canonical upper-case
 * form. Text outside ASCII is refused before upper-casing, because upper-casing maps it onto other,
 * real tickers: "ß" becomes "SS", "ﬃ" becomes "FFI", the dotless "ı" becomes "I".
 */
export function readSymbol(raw: string): SymbolReading {
  const text = raw.trim();
  const foreign = NOT_ASCII.exec(text);
  if (foreign !== null) return { ok: false, problem: 'not-ascii', character: foreign[0] };
  const symbol = text.toUpperCase();
  return SYMBOL_PATTERN.test(symbol) ? { ok: true, symbol } : { ok: false, problem: 'bad-shape' };
}

/** Whether `value` is already a canonical symbol (as stored and as carried on the streams). */
export function isSymbol(value: string): boolean {
  return SYMBOL_PATTERN.test(value);
}

/** What to tell someone whose symbol was refused, for logs and rejected rows. */
export const SYMBOL_RULE_TEXT =
  'a symbol is 1–10 characters of A–Z, 0–9, "." or "-", starting with a letter (like BAC or BRK.B)';
