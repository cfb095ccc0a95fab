// aws-kinesis-agg's own index.d.ts declares deaggregation but not the RecordAggregator it exports.
import 'aws-kinesis-agg';

declare module 'aws-kinesis-agg' {
  export class RecordAggregator {
    addUserRecord(record: { partitionKey: string; data: Buffer }): void;
    build(): EncodedRecord;
  }
}
