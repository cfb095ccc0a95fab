import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { openAwsSession } from '../../cli/aws-session.js';
import { createAwsClients } from '../../shared/aws/aws-clients.js';
import { startEmbeddedAws } from '../../shared/aws/embedded-aws.js';
import {
  EmbeddedCredentialsError,
  embeddedCredentialsPath,
  readEmbeddedCredentials,
} from '../../shared/aws/embedded-credentials.js';
import { DEFAULT_RESOURCE_NAMES } from '../../shared/aws/resources.js';
import { withTemporaryDir } from '../helpers/temporary-dir.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const SERVICES = ['dynamodb', 'kinesis', 's3'] as const;

describe('the embedded stack at its HTTP ports', () => {
  const aws = useTestAws();

  /** A signature header with this stack's key id (the signature itself is not checked by the emulators). */
  function ownAuthorization(): string {
    return `AWS4-HMAC-SHA256 Credential=${aws.connection.credentials.accessKeyId}/20240102/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;
  }

  it.each(SERVICES)('refuses a cross-origin request to %s with 403 and no CORS headers', async (service) => {
    const endpoint = aws.connection.endpoints[service];
    for (const init of [
      { method: 'POST', headers: { Origin: 'https://evil.example', Authorization: ownAuthorization() } },
      {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
      },
      { method: 'GET', headers: { Origin: 'null' } },
    ]) {
      const response = await fetch(`${endpoint}/`, init);
      expect(response.status).toBe(403);
      expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it.each(SERVICES)('refuses an unsigned request to %s', async (service) => {
    const response = await fetch(`${aws.connection.endpoints[service]}/`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(403);
  });

  it('refuses clients holding other credentials, s3rver’s fixed S3RVER pair included', async () => {
    for (const credentials of [
      { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    ]) {
      const other = createAwsClients({ ...aws.connection, credentials });
      try {
        await expect(other.dynamoRaw.send(new ListTablesCommand({}))).rejects.toMatchObject({
          $metadata: { httpStatusCode: 403 },
        });
        await expect(other.kinesis.send(new ListStreamsCommand({}))).rejects.toMatchObject({
          $metadata: { httpStatusCode: 403 },
        });
        await expect(other.s3.send(new ListBucketsCommand({}))).rejects.toMatchObject({
          $metadata: { httpStatusCode: 403 },
        });
      } finally {
        other.destroy();
      }
    }
  });

  it('refuses a presigned S3 URL made with other credentials', async () => {
    const url = `${aws.connection.endpoints.s3}/${aws.names.bucket}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=S3RVER%2F20240102%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240102T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=00`;
    expect((await fetch(url)).status).toBe(403);
  });

  it('serves its own clients', async () => {
    const tables = await aws.clients.dynamoRaw.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain(aws.names.watchesTable);
    const streams = await aws.clients.kinesis.send(new ListStreamsCommand({}));
    expect(streams.StreamNames).toContain(aws.names.tradesStream);
    const objects = await aws.clients.s3.send(new ListObjectsV2Command({ Bucket: aws.names.bucket }));
    expect(objects.$metadata.httpStatusCode).toBe(200);
  });

  it('refuses the multipart POST whose crafted header crashes s3rver (dicer 0.3.0), and keeps serving', async () => {
    // The dicer advisory's body: a header line starting with a space. Sent to a bare s3rver 3.7.1 it
    // throws inside dicer's HeaderParser and ends the process (tried while writing this test).
    const boundary = '----WebKitFormBoundaryoo6vortfDzBsDiro';
    const body = `--${boundary}\r\n Content-Disposition: form-data; name="bildbeschreibung"\r\n\r\n\r\n--${boundary}--`;
    const response = await fetch(`${aws.connection.endpoints.s3}/${aws.names.bucket}`, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        Authorization: ownAuthorization(),
      },
      body,
    });
    expect(response.status).toBe(403);
    const objects = await aws.clients.s3.send(new ListObjectsV2Command({ Bucket: aws.names.bucket }));
    expect(objects.$metadata.httpStatusCode).toBe(200);
  });

  it.each(SERVICES)('survives a signed request to %s whose body breaks off malformed', async (service) => {
    const url = new URL(aws.connection.endpoints[service]);
    await new Promise<void>((resolve) => {
      const req = request({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        headers: { Authorization: ownAuthorization(), 'Transfer-Encoding': 'chunked' },
      });
      req.on('error', () => resolve());
      req.on('response', (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('error', () => resolve());
      });
      req.write('{"Tab');
      // A broken chunk header, then the client goes away mid-body.
      req.socket?.write('zz\r\n');
      setImmediate(() => req.destroy());
    });
    const tables = await aws.clients.dynamoRaw.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain(aws.names.watchesTable);
  });
});

describe('the credentials of a persistent stack', () => {
  it('are written once to the data folder with mode 0600 and used by a process that joins the stack', async () => {
    await withTemporaryDir('credentials', async (dir) => {
      const first = await startEmbeddedAws({ dataDir: `${dir}/aws` });
      const written = await readEmbeddedCredentials(`${dir}/aws`);
      expect(written).toEqual(first.connection.credentials);
      expect((await stat(embeddedCredentialsPath(`${dir}/aws`))).mode & 0o777).toBe(0o600);
      const ports = {
        dynamodb: Number(new URL(first.connection.endpoints.dynamodb).port),
        kinesis: Number(new URL(first.connection.endpoints.kinesis).port),
        s3: Number(new URL(first.connection.endpoints.s3).port),
      };
      const joiner = await openAwsSession({
        target: { kind: 'embedded', region: 'us-east-1', ports, dataDir: dir },
        names: DEFAULT_RESOURCE_NAMES,
        joinRunning: true,
      });
      try {
        expect(joiner.description).toContain('running embedded stack');
        const tables = await joiner.clients.dynamoRaw.send(new ListTablesCommand({}));
        expect(tables.TableNames).toContain(DEFAULT_RESOURCE_NAMES.watchesTable);
      } finally {
        await joiner.close();
        await first.stop();
      }
      const again = await startEmbeddedAws({ dataDir: `${dir}/aws` });
      await again.stop();
      expect(again.connection.credentials).toEqual(written);
    });
  });

  it('are missing for a process that joins a stack started elsewhere, which says where it looked', async () => {
    const running = await startEmbeddedAws();
    try {
      const ports = {
        dynamodb: Number(new URL(running.connection.endpoints.dynamodb).port),
        kinesis: Number(new URL(running.connection.endpoints.kinesis).port),
        s3: Number(new URL(running.connection.endpoints.s3).port),
      };
      await withTemporaryDir('no-credentials', async (dir) => {
        const joining = openAwsSession({
          target: { kind: 'embedded', region: 'us-east-1', ports, dataDir: dir },
          names: DEFAULT_RESOURCE_NAMES,
          joinRunning: true,
        });
        await expect(joining).rejects.toThrow(EmbeddedCredentialsError);
        await expect(joining).rejects.toThrow(`${dir}/aws/credentials.json cannot be read`);
      });
    } finally {
      await running.stop();
    }
  });

  it('are generated afresh for each ephemeral stack', async () => {
    const a = await startEmbeddedAws();
    const b = await startEmbeddedAws();
    await Promise.all([a.stop(), b.stop()]);
    expect(a.connection.credentials.accessKeyId).not.toBe(b.connection.credentials.accessKeyId);
    expect(a.connection.credentials.accessKeyId).toMatch(/^LOCAL[0-9A-F]{32}$/);
  });

  it('are shared by a second stack started with them, which serves the first stack’s clients', async () => {
    const a = await startEmbeddedAws();
    const b = await startEmbeddedAws({ credentials: a.connection.credentials });
    try {
      const other = await startEmbeddedAws();
      await other.stop();
      const clients = createAwsClients({
        ...a.connection,
        endpoints: { ...a.connection.endpoints, dynamodb: b.connection.endpoints.dynamodb },
      });
      const strangers = createAwsClients({ ...b.connection, credentials: other.connection.credentials });
      try {
        await expect(clients.dynamo.send(new ListTablesCommand({}))).resolves.toBeDefined();
        await expect(clients.kinesis.send(new ListStreamsCommand({}))).resolves.toBeDefined();
        await expect(strangers.dynamo.send(new ListTablesCommand({}))).rejects.toThrow();
      } finally {
        clients.destroy();
        strangers.destroy();
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
