/**
 * A line longer than the limit, in place of its text: it was skipped to its line break without being
 * held, so it costs no memory. Readers reject it as a bad row.
 */
export class OverlongLine {
  constructor(
    /** The limit it broke. */
    readonly maxBytes: number,
    /** Its first bytes, decoded, for the rejects file. */
    readonly preview: string,
  ) {}

  /** The reject reason, saying what to do. */
  get reason(): string {
    return `line longer than ${this.maxBytes} bytes: a row is one trade or bar; if the file really has rows this wide, raise the limit with --max-line-bytes`;
  }
}

/** One line of a source: its text, or the marker of a line too long to keep. */
export type SourceLine = string | OverlongLine;
