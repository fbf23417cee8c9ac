/**
 * The Temporal dev server of the embedded defaults: `temporal server start-dev` with its state in a SQLite
 * file under DATA_DIR (kept across restarts), headless, and the project's search attributes registered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { setUpTemporal } from '../infra/temporal-setup';
import { ensureTemporalCli } from './tools';

export interface DevServerOptions {
  dataDir: string;
  port: number;
  logFile: string;
  /** SQLite pragmas of the server's store; write-ahead logging unless said otherwise (docs/performance.md) */
  sqlitePragmas?: readonly string[];
  /** the search attributes to register; all of the project's unless said otherwise (a test of an older data directory) */
  searchAttributes?: typeof SEARCH_ATTRIBUTES;
}

/**
 * Write-ahead logging with `synchronous=normal`: a commit survives the server process crashing (it is in the
 * log), only an operating-system crash may lose the last ones — the trade SQLite recommends for WAL.
 */
export const DEFAULT_SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'] as const;

export interface RunningDevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Resolves once something accepts TCP connections on the port, or rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, host, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing answered on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const cli = ensureTemporalCli();
  fs.mkdirSync(options.dataDir, { recursive: true });
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'a');
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--db-filename',
    path.join(options.dataDir, 'temporal.db'),
    '--namespace',
    'default',
    '--log-format',
    'json',
    '--log-level',
    'warn',
    // The Web UI is Temporal's UI server of its own (devtools/ui-server.ts): the dev server's cannot send the codec session.
    '--headless',
    ...(options.sqlitePragmas ?? DEFAULT_SQLITE_PRAGMAS).flatMap((p) => ['--sqlite-pragma', p]),
  ];
  const child = spawn(cli, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the Temporal dev server exited (code ${code}); see ${options.logFile}`))),
  );
  exited.catch(() => {});
  await Promise.race([waitForPort(options.port, 60_000), exited]);
  // Not with the dev server's `--search-attribute` flags: they register only when it creates its database, so a
  // data directory from before an attribute existed (`Standard`) would refuse every workflow start that sets it.
  await setUpTemporal({ address: `127.0.0.1:${options.port}` }, 'default', {
    ...(options.searchAttributes && { attributes: options.searchAttributes }),
  });
  return {
    address: `127.0.0.1:${options.port}`,
    process: child,
    stop: () => stopProcess(child),
  };
}
