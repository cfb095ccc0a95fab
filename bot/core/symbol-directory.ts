/** Known symbols (those the pipeline has seen trade), for suggestions as a user types one. */
export interface SymbolDirectory {
  /** Up to `limit` known symbols starting with `prefix` (upper case), alphabetically. */
  search(prefix: string, limit: number): Promise<string[]>;
}
