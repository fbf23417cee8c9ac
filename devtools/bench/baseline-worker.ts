/**
 * The baseline's worker as a process of its own (issue 19), so its CPU and memory are measured the way the
 * service's worker is (from /proc). Forked by the bench with an IPC channel: it reports how many workflows have
 * reached each no-op step, and stops when told.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { runMain } from '../../infra/process';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../../worker/workflow-code';

runMain(async () => {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const steps = new Array(8).fill(0) as number[];
  const worker = await Worker.create({
    connection,
    taskQueue: 'bench-baseline',
    workflowsPath: require.resolve('./baseline-workflow'),
    activities: { step: async (k: number) => void steps[k]++ },
    maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS ?? DEFAULT_MAX_CACHED_WORKFLOWS),
  });
  const report = setInterval(() => process.send?.({ steps }), 200);
  process.on('message', (m: { stop?: boolean }) => {
    if (m.stop) worker.shutdown();
  });
  process.send?.({ ready: true });
  await worker.run();
  clearInterval(report);
  await connection.close();
  process.disconnect?.();
});
