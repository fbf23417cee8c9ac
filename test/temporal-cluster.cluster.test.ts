/**
 * The local Temporal cluster of `npm run start:cluster` (issue 18), run by `npm run test:cluster` (it needs the
 * server's build): a service that dies of itself is started again, as compose's restart policy does, and the
 * cluster keeps serving; one stopped on purpose stays stopped.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { clusterDatabaseFrom, startTemporalCluster, type RunningCluster } from '../devtools/temporal-cluster';
import { PATIENCE_MS, eventually } from './helpers/http';
import { startTestDatabase, type TestDatabase } from './helpers/service';
import { clusterPorts } from '../devtools/temporal-cluster';

let database: TestDatabase;
let cluster: RunningCluster;
const said: string[] = [];

beforeAll(async () => {
  database = await startTestDatabase('attestation-cluster-');
  cluster = await startTemporalCluster({
    database: clusterDatabaseFrom(database.db.url),
    logDir: path.join(database.dataDir, 'logs'),
    ports: await clusterPorts(),
    supervise: { say: (message) => void said.push(message) },
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await database?.stop();
});

test(
  'a history service killed by the system is started again, and the cluster answers a start afterwards',
  async () => {
    const before = cluster.services.history.process.pid;
    const saidBefore = said.length;
    process.kill(before!, 'SIGKILL');
    const after = await eventually(
      async () => cluster.services.history.process.pid,
      (pid) => pid !== before && pid !== undefined,
      PATIENCE_MS,
    );
    expect(said.slice(saidBefore)).toEqual([
      expect.stringMatching(/^Temporal's history service exited \(code null, signal SIGKILL\).*starting it again$/),
    ]);
    expect(after).not.toBe(before);
    const connection = await Connection.connect({ address: cluster.address });
    try {
      const client = new Client({ connection });
      // A workflow start needs the history service to own its shard again.
      const handle = await eventually(
        () => client.workflow.start('nothing', { taskQueue: 'nobody-polls', workflowId: `after-restart-${Date.now()}` }).catch(() => null),
        (h) => h !== null,
        PATIENCE_MS,
      );
      expect((await handle!.describe()).status.name).toBe('RUNNING');
      await handle!.terminate('test done');
    } finally {
      await connection.close();
    }
  },
  3 * PATIENCE_MS,
);

test('a service stopped on purpose stays stopped', async () => {
  const matching = cluster.services.matching;
  const before = said.length; // whatever the supervisor said before this test
  await matching.stop();
  await new Promise((r) => setTimeout(r, 3000));
  expect(matching.process.exitCode !== null || matching.process.signalCode !== null).toBe(true);
  expect(said.slice(before)).toEqual([]); // no restart for a stop on purpose
  await matching.start();
}, 60_000);
