/** The bench's command line (`npm run bench -- --help`). */
import { Command } from 'commander';
import { positive } from '../cli-options';

export const options = new Command('bench')
  .option('--applications <n>', 'applications to submit', positive, 200)
  .option('--concurrency <c>', 'requests in flight at once', positive, 16)
  .option('--open-cases', 'leave the applications waiting for a decision and report memory and footprint as they grow')
  .option(
    '--rate <r...>',
    'open loop: submissions arrive at R a second whatever the answers (--applications of them at each rate)',
    (v, previous: number[] = []) => [...previous, ...v.split(',').map(positive)],
  )
  .option('--cluster', 'run Temporal as a cluster of four service processes on the PostgreSQL (npm run start:cluster), not the dev server')
  .option('--max-cached-workflows <n>', "the worker's sticky cache (WORKER_MAX_CACHED_WORKFLOWS)", positive)
  .option('--sqlite-pragma <pragma...>', "the dev server's SQLite pragmas (default: journal_mode=wal synchronous=normal); 'none' for SQLite's own")
  .option('--cpu-prof <dir>', "write the worker's CPU profile (node --cpu-prof) into this folder when it stops")
  .option(
    '--heap-snapshot <dir>',
    "write the worker's heap snapshots into this folder, empty and with the sticky cache full, and print what a cached workflow holds (runs the workflows in the worker's main thread, WORKER_DEBUG_MODE)",
  )
  .option('--statements', 'also print the store statements the service ran most in the closed loop')
  .option('--json', 'print the figures as JSON')
  .option('--keep', 'keep the data directory')
  .parse()
  .opts<{
    applications: number;
    concurrency: number;
    sqlitePragma?: string[];
    openCases?: boolean;
    rate?: number[];
    maxCachedWorkflows?: number;
    cpuProf?: string;
    heapSnapshot?: string;
    json?: boolean;
    statements?: boolean;
    keep?: boolean;
    cluster?: boolean;
  }>();

export type BenchOptions = typeof options;
