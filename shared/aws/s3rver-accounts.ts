import { createRequire } from 'node:module';
import type { EmbeddedCredentials } from './embedded-credentials.js';

interface S3rverAccount {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  revokeAccessKey(accessKeyId: string): void;
}

// s3rver is CommonJS and keeps its accounts in a process-wide registry with one fixed S3RVER/S3RVER pair.
const require = createRequire(import.meta.url);
const account = (require('s3rver/lib/models/account.js') as { DUMMY_ACCOUNT: S3rverAccount }).DUMMY_ACCOUNT;

/**
 * Lets s3rver accept a stack's own key pair (it refuses unknown key ids itself). Returns the undo.
 * The fixed S3RVER pair stays registered in s3rver, but the request guard refuses it before s3rver sees it.
 */
export function registerS3rverKey(credentials: EmbeddedCredentials): () => void {
  account.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
  return () => account.revokeAccessKey(credentials.accessKeyId);
}
