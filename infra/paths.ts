import os from 'node:os';
import path from 'node:path';

/** The project's root folder (where package.json is). */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Per-clone state of the embedded defaults: database files, Temporal's SQLite file, logs, dev keys. */
export const DATA_DIR = path.resolve(process.env.DATA_DIR ?? path.join(PROJECT_ROOT, '.data'));

/**
 * Slow tool builds (the Temporal CLI, the Java test server) live in the user's cache directory, so every
 * clone on the machine — CI's fresh ones among them — reuses them.
 */
export const CACHE_DIR = path.resolve(
  process.env.TEACHER_ATTESTATION_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'teacher-attestation'),
);
