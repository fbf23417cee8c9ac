/**
 * `npm run bench -- --applications N --concurrency C` (issue 7): the real stack as `npm start` runs it (stack.ts),
 * N applications submitted through the HTTP API, each decided, every notice awaited at the receiver
 * (closed-loop.ts); then, in the same run and on the same server, a baseline of bare workflows with the same
 * number of no-op activities and timers (baseline.ts). Prints one table (report.ts); `--json` for machines,
 * `--statements` adds the store statements the service ran most. `--rate R[,R…]` is open loop instead
 * (open-loop.ts); `--open-cases` leaves the applications waiting and reports memory as they grow (open-cases.ts).
 * Every mode stops the stack and exits by itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../../worker/workflow-code';
import { lastWorkingMoment } from '../samples';
import { runBaseline } from './baseline';
import { closedLoop } from './closed-loop';
import { openCases } from './open-cases';
import { openLoop } from './open-loop';
import { options } from './options';
import { printTable } from './report';
import { poster, startBenchStack, stopBenchStack } from './stack';

async function main() {
  const n = options.applications;
  const c = options.concurrency;
  // Both workers hold the same sticky cache (WORKER_MAX_CACHED_WORKFLOWS, the worker's default unless given).
  const cacheSize = options.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS;
  if (options.heapSnapshot) fs.mkdirSync(options.heapSnapshot, { recursive: true });
  const stack = await startBenchStack(options);
  try {
    const submittedAt = lastWorkingMoment().toISOString();
    if (options.openCases) {
      const post = poster(stack, []);
      const { store, worker, dataDir, base, apiKey, address } = stack;
      await openCases({ n, c, post, store, workerPid: worker.pid!, dataDir, submittedAt, base, apiKey, address });
      return;
    }
    if (options.rate) {
      await openLoop({ rates: options.rate, n, base: stack.base, apiKey: stack.apiKey, store: stack.store, submittedAt, json: options.json });
      return;
    }
    const connection = await Connection.connect({ address: stack.address });
    stack.stops.push(() => connection.close());
    const client = new Client({ connection });
    const ours = await closedLoop(stack, client, options, cacheSize);
    const baseline = await runBaseline(stack, client, n, c);
    const perCaseMs = (end: Record<string, number>, start: Record<string, number>) =>
      Object.fromEntries(Object.keys(end).map((k) => [k, ((end[k] - start[k]) * 1000) / n]));
    const cached = Math.min(n, cacheSize);
    const figures = {
      ...ours.figures,
      baselineCompletedCasesPerSecond: baseline.completedCasesPerSecond,
      baselineToOursRatio: baseline.completedCasesPerSecond / ours.figures.completedCasesPerSecond,
      baselineWorkerCpuPerCaseMs: baseline.workerCpuPerCaseMs,
      // RSS with a full sticky cache minus the empty worker's, over the workflows the cache holds
      cachedWorkflows: cached,
      memoryPerCachedWorkflowMiB: (ours.usageAtEnd.rssMiB - ours.usageAtStart.rssMiB) / cached,
      baselineMemoryPerCachedWorkflowMiB: baseline.rssGrowthMiB / cached,
      baselineHistoryPerCase: baseline.historyPerCase,
      baselineSecondsToWait: baseline.secondsToWait,
      temporal: options.cluster ? 'cluster' : 'dev server',
      // Temporal's CPU per case by process: what sizing its services starts from (docs/deployment.md)
      temporalCpuPerCaseMs: perCaseMs(ours.temporalAtEnd, ours.temporalAtStart),
      baselineTemporalCpuPerCaseMs: perCaseMs(baseline.temporalAtEnd, baseline.temporalAtStart),
      cores: os.cpus().length,
    };
    if (options.json) console.log(JSON.stringify({ ...figures, ...(options.statements && { statements: ours.statements.top }) }, null, 2));
    else {
      printTable(figures);
      if (options.statements) {
        console.log(`\nThe store statements the service ran most (${ours.statements.total} in all, ${n} cases):`);
        for (const s of ours.statements.top) console.log(`${String(s.calls).padStart(7)}  ${s.query}`);
      }
    }
  } finally {
    await stopBenchStack(stack, options.keep);
  }
}

// Exits when done, whatever handle a library leaves open: a bench that hangs after its table is no bench.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
