import { Agent, createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One AWS JSON-protocol call as the proxy saw it: the operation (`X-Amz-Target`) and the parsed body. */
export interface ProxiedCall {
  /** e.g. `DynamoDB_20120810.UpdateItem`, `Kinesis_20131202.GetRecords`. */
  readonly target: string;
  readonly body: Record<string, unknown>;
}

/**
 * What to do with one call: forward it; answer with an AWS error instead; or `kill` — run the proxy's
 * kill hook (SIGKILL a child process) and drop the connection without forwarding, so the call never
 * reaches the service and its caller dies between two steps of its work.
 */
export type ProxyAction =
  | { readonly kind: 'pass' }
  | { readonly kind: 'fail'; readonly status: number; readonly errorType: string; readonly message: string }
  | { readonly kind: 'kill' };

export const PASS: ProxyAction = { kind: 'pass' };

/**
 * An HTTP proxy in front of one emulator endpoint (dynalite, kinesalite) that decides per call, by a rule
 * the harness supplies, to pass it, fail it the way AWS fails it, or kill the caller. Production code is
 * untouched: it only sees a different endpoint.
 */
export class FaultProxy {
  private server: Server | undefined;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  rule: (call: ProxiedCall) => ProxyAction = () => PASS;

  constructor(
    private readonly target: string,
    private readonly onKill: () => void = () => undefined,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const action = this.decide(req.headers, body);
        if (action.kind === 'kill') {
          this.onKill();
          req.socket.destroy();
          return;
        }
        if (action.kind === 'fail') {
          res.writeHead(action.status, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: action.errorType, message: action.message }));
          return;
        }
        this.forward(req.method ?? 'POST', req.url ?? '/', req.headers, body).then(
          ({ status, headers, body: answer }) => {
            // Hop-by-hop headers belong to the proxy's own connection to the emulator, not the caller's.
            const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...endToEnd } = headers;
            res.writeHead(status, { ...endToEnd, 'content-length': String(answer.length) });
            res.end(answer);
          },
          () => req.socket.destroy(),
        );
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    this.agent.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private decide(headers: IncomingHttpHeaders, body: Buffer): ProxyAction {
    const target = headers['x-amz-target'];
    if (typeof target !== 'string' || body.length === 0) return PASS;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return PASS;
    }
    return this.rule({ target, body: parsed });
  }

  private forward(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) {
    return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const url = new URL(this.target);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent: this.agent,
          headers: { ...withoutHopByHop(headers), host: url.host },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { connection: _c, 'keep-alive': _k, ...rest } = headers;
  return rest;
}
