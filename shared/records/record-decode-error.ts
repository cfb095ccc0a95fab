/** A stream record that can never be processed (a poison record). It is counted, logged and skipped. */
export class RecordDecodeError extends Error {
  override readonly name = 'RecordDecodeError';
}
