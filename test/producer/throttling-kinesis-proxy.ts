import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one PutRecords entry. */
export type EntryFate = 'pass' | 'throttle' | 'internal-error';

export interface ProxiedEntry {
  readonly call: number;
  readonly partitionKey: string;
  readonly fate: EntryFate;
  /** performance.now() when the proxy received the call. */
  readonly at: number;
}

/**
 * A Kinesis endpoint in front of kinesalite that fails chosen PutRecords entries the way Kinesis does
 * (HTTP 200, the entry carrying ProvisionedThroughputExceededException or InternalFailure) and passes
 * everything else through untouched. Kinesalite has no limits of its own, so this is how a test sees
 * the producer's retries. Every entry is logged.
 */
export class ThrottlingKinesisProxy {
  readonly entries: ProxiedEntry[] = [];
  private calls = 0;
  private server: Server | undefined;

  constructor(
    private readonly target: string,
    private readonly fate: (call: number, entry: number, partitionKey: string) => EntryFate,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void this.handle(req.headers, Buffer.concat(chunks)).then(({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(headers: NodeJS.Dict<string | string[]>, body: Buffer) {
    if (headers['x-amz-target'] !== 'Kinesis_20131202.PutRecords') return this.forward(headers, body);
    const call = this.calls++;
    const at = performance.now();
    const input = JSON.parse(body.toString()) as { StreamName: string; Records: { PartitionKey: string }[] };
    const fates = input.Records.map((record, i) => this.fate(call, i, record.PartitionKey));
    input.Records.forEach((record, i) => {
      this.entries.push({ call, partitionKey: record.PartitionKey, fate: fates[i] as EntryFate, at });
    });
    const passed = input.Records.filter((_, i) => fates[i] === 'pass');
    let results: unknown[] = [];
    if (passed.length > 0) {
      const forwarded = Buffer.from(JSON.stringify({ ...input, Records: passed }));
      const response = await this.forward(
        { ...headers, 'content-length': String(forwarded.length) },
        forwarded,
      );
      if (response.status !== 200) return response;
      results = (JSON.parse(response.body.toString()) as { Records: unknown[] }).Records;
    }
    let next = 0;
    const records = fates.map((fate) =>
      fate === 'pass'
        ? results[next++]
        : fate === 'throttle'
          ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' }
          : { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' },
    );
    const failed = fates.filter((fate) => fate !== 'pass').length;
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: Buffer.from(JSON.stringify({ FailedRecordCount: failed, Records: records })),
    };
  }

  private forward(headers: NodeJS.Dict<string | string[]>, body: Buffer) {
    return new Promise<{ status: number; headers: NodeJS.Dict<string | string[]>; body: Buffer }>(
      (resolve, reject) => {
        const url = new URL(this.target);
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: '/',
            headers: { ...headers, host: url.host },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );
  }
}
