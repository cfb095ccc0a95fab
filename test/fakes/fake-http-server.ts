import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a fake platform received it, body already decoded (JSON, form or raw text). */
export interface FakeRequest {
  readonly method: string;
  /** The path without the query string, e.g. `/api/v10/users/@me/channels`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** Parsed JSON, a record for form bodies, or the body as text for anything else. */
  readonly body: unknown;
}

export interface FakeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON; undefined sends no body. */
  readonly body?: unknown;
}

/** One exchange, for assertions: what came in, what went out, and when (epoch ms). */
export interface RecordedCall extends FakeRequest {
  readonly receivedAt: number;
  /** `undefined` when a fault dropped the connection instead of answering. */
  readonly response: FakeResponse | undefined;
}

/**
 * A fault for the next `times` requests that match: a canned answer (429, 5xx…), extra latency before
 * the normal answer, or a dropped connection.
 */
export interface Fault {
  readonly method?: string;
  readonly path: RegExp;
  /** How many matching requests it applies to; default 1. */
  readonly times?: number;
  /** Answer with this instead of the normal handler. */
  readonly response?: FakeResponse;
  /** Wait this long first (then the response above, or the normal answer). */
  readonly delayMs?: number;
  /** Destroy the socket without answering. */
  readonly disconnect?: boolean;
}

export type FakeHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/**
 * The HTTP half of a fake platform, on 127.0.0.1 and an ephemeral port: decodes bodies, records every
 * call, and applies injected faults before the platform's own handler.
 */
export class FakeHttpServer {
  readonly calls: RecordedCall[] = [];
  readonly server: Server;
  private readonly faults: { fault: Fault; remaining: number }[] = [];

  constructor(private readonly handler: FakeHandler) {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        (response) => {
          if (response === undefined) {
            req.socket.destroy();
            return;
          }
          const body = response.body === undefined ? undefined : JSON.stringify(response.body);
          res.writeHead(response.status, {
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...response.headers,
          });
          res.end(body);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: `fake server error: ${String(error)}` }));
        },
      );
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Adds a fault; faults are tried in the order added. */
  inject(fault: Fault): void {
    this.faults.push({ fault, remaining: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Calls whose method and path match, in arrival order. */
  callsTo(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((call) => call.method === method && path.test(call.path));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<FakeResponse | undefined> {
    const request = await readRequest(req);
    const receivedAt = Date.now();
    const fault = this.takeFault(request);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const response = fault?.disconnect ? undefined : (fault?.response ?? (await this.handler(request)));
    this.calls.push({ ...request, receivedAt, response });
    return response;
  }

  private takeFault(request: FakeRequest): Fault | undefined {
    const index = this.faults.findIndex(
      ({ fault }) =>
        (fault.method === undefined || fault.method === request.method) && fault.path.test(request.path),
    );
    const entry = this.faults[index];
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.faults.splice(index, 1);
    return entry.fault;
  }
}

async function readRequest(req: IncomingMessage): Promise<FakeRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  return {
    method: req.method ?? 'GET',
    path: decodeURIComponent(url.pathname),
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    body: decodeBody(rawBody, req.headers['content-type'] ?? ''),
  };
}

/** A `multipart/form-data` body: text fields, and files with their bytes (Discord attachments). */
export interface MultipartBody {
  readonly fields: Readonly<Record<string, string>>;
  readonly files: readonly {
    readonly field: string;
    readonly filename: string;
    readonly contentType: string;
    readonly data: Buffer;
  }[];
}

function decodeBody(raw: Buffer, contentType: string): unknown {
  if (raw.length === 0) return undefined;
  const boundary = /multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (boundary) return decodeMultipart(raw, boundary[1] ?? boundary[2] ?? '');
  const text = raw.toString('utf8');
  if (contentType.includes('application/json')) return JSON.parse(text) as unknown;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  return text;
}

function decodeMultipart(raw: Buffer, boundary: string): MultipartBody {
  const fields: Record<string, string> = {};
  const files: { field: string; filename: string; contentType: string; data: Buffer }[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = raw.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const data = part.subarray(split + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (filename === undefined) fields[name] = data.toString('utf8');
      else {
        const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream';
        files.push({ field: name, filename, contentType: type, data: Buffer.from(data) });
      }
    }
    start = next;
  }
  return { fields, files };
}
