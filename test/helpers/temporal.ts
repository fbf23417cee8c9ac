/**
 * The Temporal server under the end-to-end and fault tests: the dev server (`npm test`), or, with
 * TEMPORAL_TOPOLOGY=cluster (`npm run test:cluster`, issue 18), a cluster of four service processes on the test's
 * own PostgreSQL — the same tests, the same assertions, on the topology a ministry runs.
 */
import path from 'node:path';
import { clusterDatabaseFrom, clusterPorts, startTemporalCluster, type RunningCluster } from '../../devtools/temporal-cluster';
import { startDevServer } from '../../devtools/temporal-server';
import type { SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { freePort } from './ports';

export type Topology = 'dev-server' | 'cluster';
export const TOPOLOGY: Topology = process.env.TEMPORAL_TOPOLOGY === 'cluster' ? 'cluster' : 'dev-server';

export interface TestTemporal {
  topology: Topology;
  address: string;
  /** the cluster's service processes, on that topology */
  cluster: RunningCluster | null;
  /** the dev server stopped and started again on its data; on a cluster, the frontend */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Temporal for a test in `dataDir`; a cluster keeps its databases in the PostgreSQL at `databaseUrl`.
 * `searchAttributes`: those registered (all of the service's unless said otherwise) in the namespace `default`.
 */
export async function startTestTemporal(
  dataDir: string,
  databaseUrl: string,
  { topology = TOPOLOGY, searchAttributes }: { topology?: Topology; searchAttributes?: typeof SEARCH_ATTRIBUTES } = {},
): Promise<TestTemporal> {
  if (topology === 'cluster') {
    const cluster = await startTemporalCluster({
      database: clusterDatabaseFrom(databaseUrl),
      logDir: path.join(dataDir, 'logs'),
      ports: await clusterPorts(),
      ...(searchAttributes && { searchAttributes }),
    });
    return {
      topology,
      address: cluster.address,
      cluster,
      async restart() {
        await cluster.services.frontend.stop();
        await cluster.services.frontend.start();
      },
      stop: cluster.stop,
    };
  }
  const options = { dataDir, port: await freePort(), logFile: path.join(dataDir, 'temporal.log'), ...(searchAttributes && { searchAttributes }) };
  let server = await startDevServer(options);
  return {
    topology,
    address: server.address,
    cluster: null,
    async restart() {
      await server.stop();
      server = await startDevServer(options);
    },
    stop: () => server.stop(),
  };
}
