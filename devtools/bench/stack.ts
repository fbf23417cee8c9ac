/**
 * The real stack as `npm start` runs it, for the bench: embedded PostgreSQL (with the statement counter), the
 * Temporal dev server or a cluster, the local receiver, and the worker and the API as processes of their own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { keyEntry, newApiKey } from '../../client/api/auth';
import { newPayloadKey } from '../../infra/payload-codec';
import { createStore, type Store } from '../../infra/store';
import { migrateDeploy, startEmbeddedPostgres } from '../database';
import { freePort } from '../ports';
import { buildReceiver } from '../receiver';
import { clusterDatabaseFrom, clusterPorts, startTemporalCluster } from '../temporal-cluster';
import { startDevServer, stopProcess, waitForPort } from '../temporal-server';
import { processUsage, runNode, say, stackDied, until } from './measure';
import type { BenchOptions } from './options';
import { prepareStatementCounter, STATEMENT_COUNTER_SETTINGS } from './store-statements';

export interface BenchStack {
  dataDir: string;
  /** the database as the service connects to it (its owner) */
  databaseUrl: string;
  /** the store as the bench reads it (an observer role: its reads are not counted) */
  store: Store;
  address: string;
  /** Temporal's CPU seconds by process (the dev server, or the cluster's four services) */
  temporalCpu(): Record<string, number>;
  base: string;
  apiKey: string;
  env: NodeJS.ProcessEnv;
  worker: ChildProcess;
  /** what to stop, in the order started (stopped in reverse) */
  stops: Array<() => Promise<void>>;
}

export async function startBenchStack(options: BenchOptions): Promise<BenchStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const stops: Array<() => Promise<void>> = [];
  try {
    say(`data in ${dataDir}; ${options.applications} applications, ${options.concurrency} in flight`);
    const db = await startEmbeddedPostgres(dataDir, await freePort(), undefined, STATEMENT_COUNTER_SETTINGS);
    stops.push(db.stop);
    await migrateDeploy(db.url);
    const store: Store = createStore(await prepareStatementCounter(db.url));
    stops.push(() => store.$disconnect());
    // The baseline runs on the same Temporal, whichever it is.
    const server = options.cluster
      ? await startTemporalCluster({ database: clusterDatabaseFrom(db.url), logDir: path.join(dataDir, 'logs'), ports: await clusterPorts() })
      : await startDevServer({
          dataDir,
          port: await freePort(),
          logFile: path.join(dataDir, 'temporal.log'),
          ...(options.sqlitePragma && { sqlitePragmas: options.sqlitePragma.filter((p) => p !== 'none') }),
        });
    stops.push(server.stop);
    const temporalCpu = (): Record<string, number> =>
      'services' in server
        ? Object.fromEntries(Object.values(server.services).map((svc) => [svc.name, processUsage(svc.process.pid!).cpuSeconds]))
        : { 'dev server': processUsage(server.process.pid!).cpuSeconds };
    say(
      `Temporal: ${options.cluster ? 'a cluster (history, matching, frontend, worker) on PostgreSQL' : 'the dev server on SQLite'} at ${server.address}`,
    );

    const receiver = buildReceiver(store);
    await receiver.listen({ port: 0, host: '127.0.0.1' });
    stops.push(() => receiver.close());
    const receiverUrl = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}`;
    const apiKey = newApiKey();
    const apiPort = await freePort();
    const env = {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: server.address,
      NOTIFIER_URL: `${receiverUrl}/notifications`,
      MONITORING_URL: `${receiverUrl}/stages`,
      PAYLOAD_KEYS: JSON.stringify({ bench: newPayloadKey() }),
      API_KEYS: JSON.stringify([keyEntry('bench', apiKey)]),
      IDENTITY_SECRET: 'bench',
      PORT: String(apiPort),
      METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
      LOG_LEVEL: 'warn',
      // The bench measures the service, not the limiter: one client sends thousands of requests a minute.
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...(options.maxCachedWorkflows && { WORKER_MAX_CACHED_WORKFLOWS: String(options.maxCachedWorkflows) }),
      // A heap snapshot sees the main thread only; the SDK runs workflows there in debug mode.
      ...(options.heapSnapshot && { WORKER_DEBUG_MODE: '1' }),
    };
    const worker = runNode('worker/main.ts', env, path.join(dataDir, 'worker.log'), [
      ...(options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.cpuProf)}`] : []),
      ...(options.heapSnapshot ? ['--heapsnapshot-signal=SIGWINCH', `--diagnostic-dir=${path.resolve(options.heapSnapshot)}`] : []),
    ]);
    worker.once('exit', (code, signal) =>
      stackDied(new Error(`the worker exited (${signal ?? `code ${code}`}): see ${path.join(dataDir, 'worker.log')} (--keep keeps it)`)),
    );
    stops.push(() => stopProcess(worker));
    const api = runNode('client/api-main.ts', env, path.join(dataDir, 'api.log'));
    stops.push(() => stopProcess(api));
    await waitForPort(apiPort, 60_000);
    const base = `http://127.0.0.1:${apiPort}`;
    await until('the worker', async () => (await fetch(`${base}/healthz`)).status === 200, 120_000);
    return { dataDir, databaseUrl: db.url, store, address: server.address, temporalCpu, base, apiKey, env, worker, stops };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    if (!options.keep) fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Stops the stack in reverse order and, unless kept, removes its data. */
export async function stopBenchStack(stack: BenchStack, keep: boolean | undefined): Promise<void> {
  for (const stop of stack.stops.reverse()) await stop().catch((e: Error) => say(`while stopping: ${e.message}`));
  if (!keep) fs.rmSync(stack.dataDir, { recursive: true, force: true });
}

/** POSTs to the API with the bench's key, recording each answer's latency; a refusal stops the run. */
export function poster(stack: BenchStack, latencies: number[]) {
  return async (route: string, body: unknown) => {
    const started = performance.now();
    const r = await fetch(`${stack.base}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    latencies.push(performance.now() - started);
    if (r.status >= 300) throw new Error(`${route}: ${r.status} ${await r.text()}`);
    return (await r.json()) as Record<string, string>;
  };
}
