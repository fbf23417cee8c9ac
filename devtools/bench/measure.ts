/** What the bench measures with: waits that stop when the stack dies, a process's CPU and memory, heap snapshots, a case's history. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { PROJECT_ROOT } from '../../infra/paths';

export const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

/** Set when a part of the stack dies: every wait stops with it instead of timing out. */
let fatal: Error | null = null;

/** A part of the stack has died: every wait stops with this error. */
export function stackDied(error: Error): void {
  fatal = error;
}

/** Whether a part of the stack has died. */
export const stackAlive = () => fatal === null;

export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30 * 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (fatal) throw fatal;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** CPU seconds and resident memory of a process, from /proc. */
export function processUsage(pid: number): { cpuSeconds: number; rssMiB: number } {
  const status = fs.existsSync(`/proc/${pid}/status`) ? fs.readFileSync(`/proc/${pid}/status`, 'utf8') : '';
  if (!/VmRSS:/.test(status)) throw new Error(`the worker process (${pid}) has exited: see worker.log in the data directory (--keep keeps it)`);
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
  return { cpuSeconds: ticks / 100, rssMiB: rss / 1024 };
}

/** Has the worker write a heap snapshot (SIGWINCH, --heapsnapshot-signal: the SDK stops a worker on SIGUSR2) and names it `<label>.heapsnapshot`. */
export async function heapSnapshot(worker: ChildProcess, dir: string, label: string): Promise<void> {
  const written = () => new Set(fs.readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')));
  const before = written();
  worker.kill('SIGWINCH');
  let file: string | undefined;
  let size = -1;
  // Written by the worker while it pauses: done when the file has stopped growing.
  await until(
    `the ${label} heap snapshot`,
    async () => {
      file ??= [...written()].find((f) => !before.has(f));
      if (!file) return false;
      const now = fs.statSync(path.join(dir, file)).size;
      const settled = now > 0 && now === size;
      size = now;
      if (settled) await new Promise((r) => setTimeout(r, 2000));
      return settled && fs.statSync(path.join(dir, file)).size === now;
    },
    10 * 60_000,
  );
  fs.renameSync(path.join(dir, file!), path.join(dir, `${label}.heapsnapshot`));
  say(`heap snapshot: ${path.join(dir, `${label}.heapsnapshot`)} (${(size / 2 ** 20).toFixed(0)} MiB)`);
}

export function runNode(script: string, env: NodeJS.ProcessEnv, log: string, nodeArgs: readonly string[] = []): ChildProcess {
  const out = fs.openSync(log, 'a');
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(PROJECT_ROOT, script)], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', out, out],
  });
}

/**
 * What a case's history holds, averaged over (up to) 20 of them: events, workflow tasks, activity tasks. Read
 * where each side has got to at the end of the run (both wait on a long timer by then).
 */
export async function historyShape(client: Client, workflowIds: string[]): Promise<{ events: number; workflowTasks: number; activityTasks: number }> {
  const sample = workflowIds.filter((_, i) => i % Math.max(1, Math.floor(workflowIds.length / 20)) === 0).slice(0, 20);
  const totals = { events: 0, workflowTasks: 0, activityTasks: 0 };
  for (const id of sample) {
    const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    totals.events += events.length;
    totals.workflowTasks += events.filter((e) => e.workflowTaskCompletedEventAttributes).length;
    totals.activityTasks += events.filter((e) => e.activityTaskScheduledEventAttributes).length;
  }
  return {
    events: totals.events / sample.length,
    workflowTasks: totals.workflowTasks / sample.length,
    activityTasks: totals.activityTasks / sample.length,
  };
}
