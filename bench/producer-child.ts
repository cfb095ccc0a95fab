/**
 * One measured producer run in its own process, so its peak RSS is the producer's alone (in AWS the
 * stream is remote; here the embedded stack lives in the parent). Prints one JSON line.
 *
 *   tsx bench/producer-child.ts pipeline <file> <format>
 *   tsx bench/producer-child.ts kinesis <connection-json> <bucket> <key> <stream> <format> <trades-per-record>
 */

import { Writable } from 'node:stream';
import { openFileLines } from '../pipeline/market-data/open-file-lines.js';
import { produceTrades } from '../pipeline/producer/produce-trades.js';
import { NullRecordSink } from '../pipeline/producer/record-sink.js';
import { SourceReplay } from '../pipeline/producer/replay-sources.js';
import { TradePacker } from '../pipeline/producer/trade-packer.js';
import { createAwsClients } from '../shared/aws/aws-clients.js';
import type { AwsConnection } from '../shared/aws/aws-connection.js';
import { JsonLinesLogger } from '../shared/log/json-lines-logger.js';
import type { TradeRecordFormat } from '../shared/records/trade-record-codec.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const [mode, ...args] = process.argv.slice(2);

/** Runs the producer's own path (read, parse, validate, pack) over a local file into a null sink. */
export async function runPipeline(path: string, format: TradeRecordFormat) {
  const sink = new NullRecordSink();
  const started = performance.now();
  const result = await new SourceReplay([{ name: path, size: undefined, open: () => openFileLines(path) }], {
    speed: 'max',
    marketData: {},
    packer: new TradePacker(format),
    sink,
  }).run();
  const seconds = (performance.now() - started) / 1000;
  return {
    trades: result.trades,
    rejected: result.rejected,
    seconds,
    records: sink.records,
    bytes: sink.bytes,
  };
}

async function runKinesis() {
  const [connectionJson, bucket, key, streamName, format, tradesPerRecord] = args as [
    string,
    string,
    string,
    string,
    TradeRecordFormat,
    string,
  ];
  const clients = createAwsClients(JSON.parse(connectionJson) as AwsConnection);
  const started = performance.now();
  const summary = await produceTrades({
    s3: clients.s3,
    kinesis: clients.kinesis,
    bucket,
    key,
    streamName,
    speed: 'max',
    format,
    maxTradesPerRecord: Number(tradesPerRecord),
    writeRejects: false,
    logger: new JsonLinesLogger(new Writable({ write: (_c, _e, done) => done() }), 'silent'),
  });
  const seconds = (performance.now() - started) / 1000;
  clients.destroy();
  return {
    trades: summary.trades,
    rejected: summary.rejected,
    seconds,
    records: summary.records,
    shards: summary.shards,
  };
}

if (mode !== undefined) {
  const result =
    mode === 'pipeline'
      ? await runPipeline(args[0] as string, args[1] as TradeRecordFormat)
      : await runKinesis();
  process.stdout.write(
    `${JSON.stringify({ ...result, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}
