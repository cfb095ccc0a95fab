import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The one key pair an embedded stack accepts; anything else is refused at its ports. */
export interface EmbeddedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The credentials file of a data folder is missing or unreadable (a joiner found no stack of its own). */
export class EmbeddedCredentialsError extends Error {
  override readonly name = 'EmbeddedCredentialsError';
}

const FILE_NAME = 'credentials.json';

/** Where a data folder keeps its stack's credentials (mode 0600: only the owner can read them). */
export function embeddedCredentialsPath(dataDir: string): string {
  return join(dataDir, FILE_NAME);
}

/** A fresh random key pair: 128 bits in the key id, which is what the embedded ports check. */
export function generateEmbeddedCredentials(): EmbeddedCredentials {
  return {
    accessKeyId: `LOCAL${randomBytes(16).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
}

/**
 * The credentials of the stack that keeps its data in `dataDir`: read from its file, or generated and
 * written there (mode 0600) the first time. Used by whoever starts the stack.
 */
export async function loadOrCreateEmbeddedCredentials(dataDir: string): Promise<EmbeddedCredentials> {
  const path = embeddedCredentialsPath(dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const credentials = generateEmbeddedCredentials();
  try {
    await writeFile(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return credentials;
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  // A file written by hand or copied may be wider than 0600; the secret is only as private as its file.
  await chmod(path, 0o600);
  return readEmbeddedCredentials(dataDir);
}

/**
 * The credentials of a running stack, for `npm run bot` and `stockalert` when they join it.
 * Throws EmbeddedCredentialsError saying what to do when the file is missing or malformed.
 */
export async function readEmbeddedCredentials(dataDir: string): Promise<EmbeddedCredentials> {
  const path = embeddedCredentialsPath(dataDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new EmbeddedCredentialsError(
      `${path} cannot be read (${(error as { code?: string }).code ?? String(error)}): the embedded stack on these ports was not started from this data folder; stop it and run npm start again, or set STOCKALERT_DATA_DIR to the folder it uses`,
      { cause: error },
    );
  }
  const value = parseCredentials(text);
  if (value === undefined) {
    throw new EmbeddedCredentialsError(
      `${path} is not a credentials file: delete it and restart npm start, which writes a new one`,
    );
  }
  return value;
}

function parseCredentials(text: string): EmbeddedCredentials | undefined {
  try {
    const value = JSON.parse(text) as Partial<EmbeddedCredentials> | null;
    if (typeof value?.accessKeyId === 'string' && typeof value.secretAccessKey === 'string') {
      if (value.accessKeyId !== '' && value.secretAccessKey !== '') {
        return { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey };
      }
    }
  } catch {
    // reported by the caller
  }
  return undefined;
}
