import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: entries, the lockfile and the Dockerfile are named relative to it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
