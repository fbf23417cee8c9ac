/**
 * The baseline (issue 7): bare workflows of the same shape up to the notice — three no-op activities, an update
 * under a timer, four more, a long timer (baseline-workflow.ts) — N of them on the same server, C in flight, in a
 * worker process of its own (baseline-worker.ts), measured the way ours are.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { eachLimited } from '../../client/each-limited';
import { baselineDecide } from './baseline-workflow';
import { historyShape, processUsage, say, until } from './measure';
import type { BenchStack } from './stack';

export async function runBaseline(stack: BenchStack, client: Client, n: number, c: number) {
  say('baseline: bare workflows with 7 no-op activities, an update and 2 timers, on the same server, in a worker process of its own');
  const log = fs.openSync(path.join(stack.dataDir, 'baseline-worker.log'), 'a');
  const worker = fork(path.join(__dirname, 'baseline-worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: stack.env,
    stdio: ['ignore', log, log, 'ipc'],
  });
  let steps = new Array(8).fill(0) as number[];
  let ready = false;
  worker.on('message', (m: { steps?: number[]; ready?: boolean }) => {
    if (m.steps) steps = m.steps;
    if (m.ready) ready = true;
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  stack.stops.push(async () => {
    if (worker.connected) worker.send({ stop: true });
    const timer = setTimeout(() => worker.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  });
  await until('the baseline worker', async () => ready, 120_000);
  const usageAtStart = processUsage(worker.pid!);
  const temporalAtStart = stack.temporalCpu();
  const b0 = Date.now();
  const each = (run: (i: number) => Promise<unknown>) =>
    eachLimited(
      Array.from({ length: n }, (_, i) => i),
      c,
      async (i) => void (await run(i)),
    );
  await each((i) => client.workflow.start('baselineWorkflow', { taskQueue: 'bench-baseline', workflowId: `baseline-${i}` }));
  await until('baseline step 3', async () => steps[3] >= n);
  const bWaiting = Date.now();
  await each((i) => client.workflow.getHandle(`baseline-${i}`).executeUpdate(baselineDecide));
  await until('baseline step 7', async () => steps[7] >= n);
  const bDone = Date.now();
  const usageAtEnd = processUsage(worker.pid!);
  const temporalAtEnd = stack.temporalCpu();
  return {
    completedCasesPerSecond: n / ((bDone - b0) / 1000),
    secondsToWait: (bWaiting - b0) / 1000,
    workerCpuPerCaseMs: ((usageAtEnd.cpuSeconds - usageAtStart.cpuSeconds) * 1000) / n,
    rssGrowthMiB: usageAtEnd.rssMiB - usageAtStart.rssMiB,
    historyPerCase: await historyShape(
      client,
      Array.from({ length: n }, (_, i) => `baseline-${i}`),
    ),
    temporalAtStart,
    temporalAtEnd,
  };
}
