/**
 * The README's first command where a new user clones (issue 27): as root, in a folder only root may enter (a home
 * is 0700, so is every `mktemp -d`), with no `.data/`. `npm start` must become healthy there, and the Temporal UI
 * it starts on a port of its own must be allowed to call the codec server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../infra/paths';
import { freePort } from './helpers/ports';

let parent: string;
let clone: string;
let start: ChildProcess | undefined;
let output = '';

/** The project's files as they stand (tracked and new, not ignored), as a clone of this tree would hold them. */
function copyWorkingTree(to: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  expect(listed.status).toBe(0);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (!fs.existsSync(path.join(PROJECT_ROOT, file))) continue; // deleted, not yet committed
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(to, file));
  }
  // node_modules as `npm ci` leaves it, hard-linked (the same files, in the closed folder), and the generated client.
  expect(spawnSync('cp', ['-al', path.join(PROJECT_ROOT, 'node_modules'), path.join(to, 'node_modules')]).status).toBe(0);
  const generated = spawnSync(path.join(to, 'node_modules', '.bin', 'prisma'), ['generate'], {
    cwd: to,
    env: { ...process.env, DATABASE_URL: 'postgresql://localhost/unused' },
    encoding: 'utf8',
  });
  expect(generated.status).toBe(0);
}

/** Whether `npm start` printed `text` within `ms` (false at once when `gaveUp` says so). */
async function outputShows(text: string, ms: number, gaveUp: () => boolean = () => false): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!output.includes(text)) {
    if (gaveUp() || Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return true;
}

function withoutVariables(env: NodeJS.ProcessEnv, names: string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));
}

beforeAll(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-clone-'));
  clone = path.join(parent, 'att');
  copyWorkingTree(clone);
}, 120_000);

afterAll(async () => {
  // Its group may be gone already though the npm process was not reaped yet (ESRCH): nothing left to stop.
  if (start && start.exitCode === null) {
    try {
      process.kill(-start.pid!, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  // The database placed outside the closed folder goes with the clone.
  const link = path.join(clone, '.data', 'postgres');
  if (fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink())
    fs.rmSync(path.dirname(fs.readlinkSync(link)), { recursive: true, force: true });
  fs.rmSync(parent, { recursive: true, force: true });
});

test('npm start becomes healthy from a clone in a 0700 folder, and its UI, on a port of its own, may call the codec (issue 27)', async () => {
  expect(fs.statSync(parent).mode & 0o777).toBe(0o700);
  const [api, receiver, temporal, ui, database, metrics] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => freePort()));
  expect(ui).not.toBe(8233);
  start = spawn('npm', ['start'], {
    cwd: clone,
    detached: true, // its own process group, as a terminal gives it: Ctrl-C reaches the group
    env: {
      ...withoutVariables(process.env, ['DATA_DIR', 'CODEC_CORS_ORIGINS', 'DATABASE_URL', 'TEMPORAL_ADDRESS']),
      PORT: String(api),
      RECEIVER_PORT: String(receiver),
      TEMPORAL_PORT: String(temporal),
      TEMPORAL_UI_PORT: String(ui),
      EMBEDDED_PG_PORT: String(database),
      METRICS_ADDRESS: `127.0.0.1:${metrics}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [start.stdout!, start.stderr!]) stream.on('data', (chunk) => (output += String(chunk)));
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => start!.once('exit', (code) => ((exitCode = code), resolve())));
  const ready = await outputShows('[start] ready', 240_000, () => exitCode !== undefined);
  if (!ready) throw new Error(`npm start did not become ready:\n${output.slice(-4000)}`);

  const health = await fetch(`http://127.0.0.1:${api}/healthz`);
  expect(health.status).toBe(200);
  for (const origin of [`http://localhost:${ui}`, `http://127.0.0.1:${ui}`]) {
    const preflight = await fetch(`http://127.0.0.1:${api}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
  }
  const stranger = await fetch(`http://127.0.0.1:${api}/codec/decode`, {
    method: 'OPTIONS',
    headers: { origin: 'http://localhost:8233', 'access-control-request-method': 'POST' },
  });
  expect(stranger.headers.get('access-control-allow-origin')).toBeNull();

  process.kill(-start.pid!, 'SIGINT'); // Ctrl-C
  await exited;
  expect(await outputShows('[start] stopped', 60_000)).toBe(true);
  expect(output).not.toContain('while stopping');
}, 300_000);
