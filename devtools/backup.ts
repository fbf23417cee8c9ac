/**
 * Backup and restore of the embedded stack's two stores (issue 36), taken while cases run: Temporal's (the dev
 * server's SQLite file, copied by SQLite's online backup, `sqlite3 .backup`) first, then the case store's (a base
 * backup of the embedded PostgreSQL by its low-level API, `pg_backup_start` … `pg_backup_stop`, with the WAL
 * written meanwhile). In that order every activity Temporal still has to run after a restore finds the case store
 * at least as far on, and repeats idempotently; a case submitted between the two is in the case store only, and the
 * state audit lists it to be started again (docs/operators.md#backup-and-restore). A deployment on its own
 * PostgreSQL backs up with pg_dump or pg_basebackup instead (the same order); Debian's client tools here are older
 * than the embedded server, which they refuse to dump.
 *
 *   npm run backup -- <folder>     of the `npm start` stack under DATA_DIR, running
 *   npm run restore -- <folder>    into a DATA_DIR holding no stores yet; then `npm start`
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DATA_DIR } from '../infra/paths';
import { chownTree, postgresUser } from './postgres-runtime';
import { ensureSqlite } from './tools';

/** What a backup folder holds, and when each store was taken. */
export interface BackupManifest {
  temporalTakenAt: string;
  caseStoreTakenAt: string;
  /** the case store's WAL position at the end of its backup */
  caseStoreLsn: string;
}

/** The dev server's store in a DATA_DIR (devtools/temporal-server.ts). */
export const temporalStoreFile = (dataDir: string) => path.join(dataDir, 'temporal.db');

/** Temporal's store, copied consistently while the dev server writes to it. */
export function backUpTemporalStore(dbFile: string, target: string): void {
  const copy = spawnSync(ensureSqlite(), [dbFile, `.backup '${target.replace(/'/g, "''")}'`], { encoding: 'utf8' });
  if (copy.status !== 0) throw new Error(`sqlite3 could not back up ${dbFile}: ${copy.stderr.trim()}`);
}

/**
 * What a base backup leaves out (PostgreSQL's docs, "Making a Base Backup Using the Low Level API"): files the
 * server makes again at start, and the WAL, copied after the backup ends.
 */
const EMPTIED = new Set(['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);
const LEFT_OUT = new Set(['postmaster.pid', 'postmaster.opts']);

/** Copies a tree whose files may come and go meanwhile (a running server's): a file gone before its copy is skipped. */
function copyLiveTree(from: string, to: string, skip: (relative: string) => boolean, relative = ''): void {
  fs.mkdirSync(path.join(to, relative), { recursive: true, mode: 0o700 });
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(from, relative), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const child = path.join(relative, entry.name);
    if (skip(child)) continue;
    if (entry.isDirectory()) copyLiveTree(from, to, skip, child);
    else {
      try {
        fs.copyFileSync(path.join(from, child), path.join(to, child));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
}

/**
 * A base backup of the running embedded PostgreSQL at `databaseUrl`, whose data directory is `dataDirectory`, into
 * `target`: consistent at the end of the backup once its WAL is replayed, which the restored server does at start.
 */
export async function backUpCaseStore(databaseUrl: string, dataDirectory: string, target: string): Promise<string> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const session = new pg.Client({ connectionString: url.toString() });
  await session.connect();
  try {
    // The backup belongs to this session: started and stopped on the same connection.
    await session.query("SELECT pg_backup_start('teacher-attestation backup', true)");
    let stopped = false;
    try {
      copyLiveTree(dataDirectory, target, (relative) => {
        const [top, ...rest] = relative.split(path.sep);
        return (EMPTIED.has(top) && rest.length > 0) || LEFT_OUT.has(relative) || path.basename(relative).startsWith('pgsql_tmp');
      });
      const { rows } = await session.query<{ lsn: string; labelfile: string; spcmapfile: string }>(
        'SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(false)',
      );
      stopped = true;
      fs.writeFileSync(path.join(target, 'backup_label'), rows[0].labelfile);
      if (rows[0].spcmapfile) fs.writeFileSync(path.join(target, 'tablespace_map'), rows[0].spcmapfile);
      // The WAL from the backup's start to its end (and a little after): the restored server replays it.
      copyLiveTree(path.join(dataDirectory, 'pg_wal'), path.join(target, 'pg_wal'), () => false);
      return rows[0].lsn;
    } finally {
      if (!stopped) await session.query('SELECT pg_backup_stop(false)').catch(() => undefined);
    }
  } finally {
    await session.end();
  }
}

/**
 * The keys `npm start` makes in its DATA_DIR (payload keys, the identity secret, the development signers and API
 * keys, the webhook secrets): not stores, but a restored history is unreadable, and its cases' ids unknown, without
 * them. `npm run backup` copies them beside the stores (so keep the folder as secret as they are); a deployment
 * keeps its keys apart, in its secret store.
 */
const DEVELOPMENT_KEYS = [
  'payload-keys.json',
  'identity-secret',
  'signing',
  'dev-api-key',
  'dev-role-keys.json',
  'dev-notifier-webhook-secret',
  'dev-monitoring-webhook-secret',
];

/** Both stores into `folder`: Temporal's first, then the case store's (see above). */
export async function backUp(
  { databaseUrl, postgresDirectory, temporalDb }: { databaseUrl: string; postgresDirectory: string; temporalDb: string },
  folder: string,
  between: () => Promise<void> = async () => {},
): Promise<BackupManifest> {
  if (fs.existsSync(folder) && fs.readdirSync(folder).length > 0) throw new Error(`${folder} is not empty: back up into a new folder`);
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const temporalTakenAt = new Date().toISOString();
  backUpTemporalStore(temporalDb, temporalStoreFile(folder));
  await between();
  const caseStoreTakenAt = new Date().toISOString();
  const caseStoreLsn = await backUpCaseStore(databaseUrl, postgresDirectory, path.join(folder, 'postgres'));
  const manifest = { temporalTakenAt, caseStoreTakenAt, caseStoreLsn };
  fs.writeFileSync(path.join(folder, 'backup.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Places a backup's two stores into `dataDir`, which holds neither yet: started there (`npm start`, or a test's
 * stack), PostgreSQL replays the backup's WAL and Temporal's dev server opens the copied file.
 */
export function restore(folder: string, dataDir: string): BackupManifest {
  const manifestFile = path.join(folder, 'backup.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${folder} holds no backup (no backup.json)`);
  for (const store of [path.join(dataDir, 'postgres'), temporalStoreFile(dataDir)]) {
    if (fs.existsSync(store)) throw new Error(`${store} exists: restore into a DATA_DIR without stores (move the old one aside)`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  fs.copyFileSync(temporalStoreFile(folder), temporalStoreFile(dataDir));
  const postgres = path.join(dataDir, 'postgres');
  fs.cpSync(path.join(folder, 'postgres'), postgres, { recursive: true });
  fs.chmodSync(postgres, 0o700);
  chownTree(postgres, postgresUser()); // PostgreSQL runs as its own user under root (devtools/postgres-runtime.ts)
  return JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as BackupManifest;
}

function copyKeys(from: string, to: string): void {
  for (const name of DEVELOPMENT_KEYS) {
    if (!fs.existsSync(path.join(from, name))) continue;
    fs.mkdirSync(to, { recursive: true, mode: 0o700 });
    fs.cpSync(path.join(from, name), path.join(to, name), { recursive: true, preserveTimestamps: true });
  }
}

if (require.main === module) {
  const [command, folder] = process.argv.slice(2);
  const usage = 'usage: npm run backup -- <folder>  |  npm run restore -- <folder>';
  (async () => {
    if (!folder || !['backup', 'restore'].includes(command)) throw new Error(usage);
    if (command === 'restore') {
      const m = restore(path.resolve(folder), DATA_DIR);
      copyKeys(path.join(path.resolve(folder), 'keys'), DATA_DIR);
      console.log(`restored into ${DATA_DIR}: Temporal as of ${m.temporalTakenAt}, the case store as of ${m.caseStoreTakenAt}`);
      console.log('next: npm start, then `npm run cli -- stuck --audit-states` lists every case that needs a step (docs/operators.md)');
      return;
    }
    const urlFile = path.join(DATA_DIR, 'database-url');
    if (!fs.existsSync(urlFile)) throw new Error(`no ${urlFile}: is \`npm start\` running on DATA_DIR ${DATA_DIR}?`);
    const postgresDirectory = fs.realpathSync(path.join(DATA_DIR, 'postgres'));
    const m = await backUp(
      { databaseUrl: fs.readFileSync(urlFile, 'utf8').trim(), postgresDirectory, temporalDb: temporalStoreFile(DATA_DIR) },
      path.resolve(folder),
    );
    copyKeys(DATA_DIR, path.join(path.resolve(folder), 'keys'));
    console.log(`backed up into ${folder}: Temporal at ${m.temporalTakenAt}, then the case store at ${m.caseStoreTakenAt} (WAL ${m.caseStoreLsn})`);
  })().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
