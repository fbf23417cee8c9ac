/**
 * API_REPLICAS copies of the API process (client/api-main.ts) serving one port, as replicas behind a load
 * balancer would (`npm run start:cluster`): Node's cluster module hands each connection to the next replica in
 * turn. A replica that dies takes the group down, so that the starter sees it; SIGINT/SIGTERM stop each gracefully.
 */
import cluster from 'node:cluster';
import path from 'node:path';
import { PROJECT_ROOT } from '../infra/paths';
import { countEnv } from '../infra/process';

const replicas = countEnv('API_REPLICAS', 2);
let stopping = false;

cluster.setupPrimary({ exec: path.join(PROJECT_ROOT, 'client', 'api-main.ts'), execArgv: ['--import', 'tsx'] });
// Each replica's metrics on a port of its own, the next ones up from API_METRICS_ADDRESS (a shared port would answer
// with whichever replica the primary picks).
const metricsAddress = (i: number) => {
  const address = process.env.API_METRICS_ADDRESS;
  if (!address) return {};
  const port = Number(address.split(':').pop());
  return { API_METRICS_ADDRESS: `${address.replace(/:\d+$/, '')}:${port + i}` };
};
for (let i = 0; i < replicas; i++) cluster.fork({ API_REPLICA: String(i + 1), ...metricsAddress(i) });

/** Stops every replica (SIGTERM: each closes its server gracefully); the primary exits with `code` once all have. */
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  const running = Object.values(cluster.workers ?? {});
  if (running.length === 0) process.exit(code);
  for (const replica of running) replica?.process.kill('SIGTERM');
}

cluster.on('exit', (replica, code, signal) => {
  if (!stopping) {
    console.error(`API replica ${replica.process.pid} exited (code ${code}, signal ${signal}); stopping the others`);
    stopAll(1);
  } else if (Object.keys(cluster.workers ?? {}).length === 0) {
    process.exit(process.exitCode ?? 0);
  }
});
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
