import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How an emulator's clients expect errors: the JSON of DynamoDB and Kinesis, or the XML of S3. */
export type ErrorFlavour = 'json' | 'xml';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Puts a guard in front of an emulator's HTTP server (dynalite, kinesalite, s3rver), before its own
 * request handler sees anything. It refuses, with 403 and no CORS headers:
 *
 * - any request with an `Origin` header: browsers send one on every cross-origin request (and every
 *   POST), and nothing of StockAlert's does. The emulators answered every Origin with
 *   `Access-Control-Allow-Origin: *`, so any web page could read and write the stack;
 * - any request whose SigV4 access key id (Authorization header or presigned `X-Amz-Credential`) is not
 *   this stack's: 128 random bits kept in a 0600 file of the data folder. The emulators do not verify
 *   SigV4 signatures (dynalite and kinesalite accept any; s3rver 3.7.1 leaves V4 "unimplemented" and
 *   checks only that the key id is registered), so the key id is what can be checked, and it is the
 *   secret a page or another local user lacks;
 * - multipart/form-data POSTs (S3 browser-form uploads, which StockAlert never makes): busboy 0.3.1 →
 *   dicer 0.3.0 in s3rver crash the process on a crafted body, and no fixed version exists.
 *
 * It also keeps a malformed request from taking the process down: the emulators rethrow a request
 * stream's 'error' (`req.on('error', e => { throw e })`) and may throw from their handler; both are
 * contained to that request.
 */
export function guardEmbeddedServer(
  server: Server,
  options: { readonly accessKeyId: string; readonly flavour: ErrorFlavour },
): void {
  const handlers = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const expected = Buffer.from(options.accessKeyId);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const refusal = refusalOf(req, expected);
    if (refusal !== undefined) {
      refuse(req, res, refusal, options.flavour);
      return;
    }
    containStreamErrors(req);
    try {
      for (const handler of handlers) handler.call(server, req, res);
    } catch {
      failRequest(res);
    }
  });
}

interface Refusal {
  readonly code: string;
  readonly message: string;
}

function refusalOf(req: IncomingMessage, expected: Buffer): Refusal | undefined {
  if (req.headers.origin !== undefined) {
    return {
      code: 'AccessDenied',
      message: 'cross-origin (browser) requests are refused by this local stack',
    };
  }
  if (req.method === 'POST' && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    return { code: 'AccessDenied', message: 'multipart form uploads are refused by this local stack' };
  }
  const keyId = accessKeyIdOf(req);
  if (keyId === undefined) {
    return {
      code: 'MissingAuthenticationToken',
      message: 'the request is not signed: sign it with this stack’s credentials',
    };
  }
  const given = Buffer.from(keyId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      code: 'UnrecognizedClientException',
      message:
        'the access key is not this stack’s: use the credentials in the data folder (credentials.json)',
    };
  }
  return undefined;
}

/** The key id of `Credential=AKID/date/region/service/aws4_request`, from the header or a presigned URL. */
function accessKeyIdOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) return /Credential=([^/,\s]+)\//.exec(header)?.[1];
  const query = (req.url ?? '').split('?', 2)[1];
  if (query === undefined) return undefined;
  const credential = new URLSearchParams(query).get('X-Amz-Credential');
  return credential?.split('/', 1)[0] || undefined;
}

function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal, flavour: ErrorFlavour): void {
  const body =
    flavour === 'json'
      ? JSON.stringify({ __type: refusal.code, message: refusal.message })
      : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message></Error>`;
  // The body is never read: closing the connection after the answer discards it.
  req.on('error', () => {});
  res.writeHead(403, {
    'Content-Type': flavour === 'json' ? 'application/x-amz-json-1.0' : 'application/xml',
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  });
  res.end(body);
}

/** A request stream's error (a client gone mid-body, a bad chunk) ends that request, never the process. */
function containStreamErrors(req: IncomingMessage): void {
  const on = req.on.bind(req);
  req.on = ((event: string, listener: (...args: unknown[]) => void) =>
    on(
      event,
      event === 'error'
        ? (error: unknown) => {
            try {
              listener(error);
            } catch {
              req.socket.destroy();
            }
          }
        : listener,
    )) as IncomingMessage['on'];
}

function failRequest(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { Connection: 'close' });
  res.end();
}
