/**
 * Temporal as a cluster on one machine (issue 18): the server's four services — history, matching, frontend and
 * its internal worker — as separate processes of the `go.temporal.io/server` binary, on PostgreSQL (databases
 * `temporal` and `temporal_visibility`, created and upgraded by Temporal's SQL tool from its embedded schemas).
 * Each process renders the server's own config template (`config/docker.yaml`, the one the `temporalio/server`
 * image starts from) from its environment: CLUSTER_SETTINGS here, and the same in docker-compose.yml
 * (test/compose.test.ts checks both).
 */
import { distinctPorts } from './ports';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../infra/paths';
import type { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { setUpTemporal } from '../infra/temporal-setup';
import { ensureTemporalServer, ToolUnavailableError } from './tools';
import { stopProcess, waitForPort } from './temporal-server';

/** The server's services, in the order they are started (the frontend answers once history and matching do). */
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

/** The dynamic configuration every deployment of the server reads (compose mounts the same file). */
export const DYNAMIC_CONFIG_FILE = path.join(PROJECT_ROOT, 'infra', 'temporal', 'dynamicconfig.yaml');

/**
 * The template's settings both compose and the local cluster give the server: the SQL plugin, the databases,
 * the number of history shards (fixed for a cluster's lifetime: docs/deployment.md) and the log level.
 */
export const CLUSTER_SETTINGS = {
  DB: 'postgres12',
  DBNAME: 'temporal',
  VISIBILITY_DBNAME: 'temporal_visibility',
  NUM_HISTORY_SHARDS: '16',
  LOG_LEVEL: 'warn',
} as const;

/** The embedded schemas of Temporal's SQL tool, for each database. */
export const SCHEMAS = { [CLUSTER_SETTINGS.DBNAME]: 'postgresql/v12/temporal', [CLUSTER_SETTINGS.VISIBILITY_DBNAME]: 'postgresql/v12/visibility' };

/**
 * Each service's gRPC and membership port (and the frontend's HTTP one); the template's defaults. Membership ports
 * must stay below 32768: the cluster's membership table keeps them as a `smallint`.
 */
export interface ClusterPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}
export const DEFAULT_CLUSTER_PORTS: ClusterPorts = {
  frontend: 7233,
  frontendHttp: 7243,
  frontendMembership: 6933,
  history: 7234,
  historyMembership: 6934,
  matching: 7235,
  matchingMembership: 6935,
  worker: 7239,
  workerMembership: 6939,
};

/** Free loopback ports for each of the cluster's services, all different (below 32768: the membership table's smallint). */
export function clusterPorts(): Promise<ClusterPorts> {
  return distinctPorts(Object.keys(DEFAULT_CLUSTER_PORTS) as Array<keyof ClusterPorts>);
}

export interface ClusterDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The cluster's database server, from the service's DATABASE_URL (its databases beside the service's own). */
export function clusterDatabaseFrom(databaseUrl: string): ClusterDatabase {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

export interface ClusterOptions {
  database: ClusterDatabase;
  /** where the services' logs go (temporal-<service>.log) */
  logDir: string;
  ports?: ClusterPorts;
  namespace?: string;
  /**
   * the search attributes to register (all of the service's unless said otherwise: a test of a cluster set up by
   * hand registers none and leaves the service to find out)
   */
  searchAttributes?: typeof SEARCH_ATTRIBUTES;
  /**
   * starts a service again when it dies of itself once the cluster is up (a crash, the OOM killer), as compose's
   * `restart: unless-stopped` does; `say` is told. Tests leave it off: they kill and start services themselves.
   */
  supervise?: { say(message: string): void };
}

/** One of the cluster's service processes, which a fault test may kill and start again. */
export interface ClusterService {
  readonly name: TemporalService;
  readonly process: ChildProcess;
  /** SIGKILL: the process dies without a goodbye to its peers */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface RunningCluster {
  /** the frontend, as clients dial it */
  address: string;
  services: Record<TemporalService, ClusterService>;
  stop(): Promise<void>;
}

/** A connection string to the cluster's database, for the schema tool's environment (as compose's temporal-schema). */
function sqlToolEnvironment(database: ClusterDatabase): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SQL_PLUGIN: CLUSTER_SETTINGS.DB,
    SQL_HOST: database.host,
    SQL_PORT: String(database.port),
    SQL_USER: database.user,
    SQL_PASSWORD: database.password,
  };
}

/**
 * Creates Temporal's two databases if absent and brings their schemas to the server's version: a first start
 * sets them up from version 0, a later one (or a newer server) applies only what is missing.
 */
export function setUpClusterSchemas(sqlTool: string, database: ClusterDatabase): void {
  const env = sqlToolEnvironment(database);
  const run = (args: string[]) => spawnSync(sqlTool, args, { env, encoding: 'utf8' });
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    // create-database and setup-schema refuse a database or a versioned schema that exists: that is the later start.
    run(['--db', name, 'create-database']);
    const versioned = run(['--db', name, 'setup-schema', '-v', '0.0']);
    const update = run(['--db', name, 'update-schema', '--schema-name', schema]);
    if (update.status !== 0) {
      throw new ToolUnavailableError(
        `temporal-sql-tool could not bring database ${name} to the server's schema ${schema}:\n${versioned.stderr}${update.stderr}`,
      );
    }
  }
}

/** The environment the config template renders one service from. */
export function serviceEnvironment(database: ClusterDatabase, ports: ClusterPorts): NodeJS.ProcessEnv {
  return {
    ...CLUSTER_SETTINGS,
    POSTGRES_SEEDS: database.host,
    DB_PORT: String(database.port),
    // The template reads the visibility store's port from VISIBILITY_DB_PORT or POSTGRES_PORT, not DB_PORT.
    VISIBILITY_DB_PORT: String(database.port),
    POSTGRES_USER: database.user,
    POSTGRES_PWD: database.password,
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: DYNAMIC_CONFIG_FILE,
    FRONTEND_GRPC_PORT: String(ports.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HISTORY_GRPC_PORT: String(ports.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.worker),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    PATH: process.env.PATH,
  };
}

/** Resolves once the frontend answers for the system namespace: history and matching are up behind it. */
async function waitForFrontend(address: string, timeoutMs: number, failed: () => Error | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const failure = failed();
    if (failure) throw failure;
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'temporal-system' });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`the Temporal cluster's frontend at ${address} did not answer within ${timeoutMs} ms: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Starts the cluster (building the server the first time), sets up its schemas, namespace and search
 * attributes, and resolves once a workflow started with them would be accepted.
 */
export async function startTemporalCluster(options: ClusterOptions): Promise<RunningCluster> {
  const tools = ensureTemporalServer();
  const ports = options.ports ?? DEFAULT_CLUSTER_PORTS;
  const namespace = options.namespace ?? 'default';
  fs.mkdirSync(options.logDir, { recursive: true });
  setUpClusterSchemas(tools.sqlTool, options.database);
  const env = serviceEnvironment(options.database, ports);
  let unexpected: Error | null = null;
  let up = false;
  let stopping = false;

  const service = (name: TemporalService): ClusterService => {
    const logFile = path.join(options.logDir, `temporal-${name}.log`);
    let child: ChildProcess | null = null;
    let stopped = false;
    const handle: ClusterService = {
      name,
      get process() {
        return child!;
      },
      async start() {
        stopped = false;
        const log = fs.openSync(logFile, 'a');
        child = spawn(tools.server, ['--root', tools.root, '--env', 'docker', '--allow-no-auth', 'start', '--service', name], {
          env,
          stdio: ['ignore', log, log],
        });
        fs.closeSync(log);
        const started = child;
        const exited = new Promise<never>((_, reject) =>
          started.once('exit', (code, signal) => {
            const failure = new Error(`Temporal's ${name} service exited (code ${code}, signal ${signal}); see ${logFile}`);
            if (started === child && code !== 0 && signal === null) unexpected = failure;
            reject(failure);
            // Died of itself (not stopped here, nor by a Ctrl-C reaching the whole process group): start it again.
            const deliberate = stopped || stopping || code === 0 || signal === 'SIGINT' || signal === 'SIGTERM';
            if (options.supervise && up && started === child && !deliberate) {
              options.supervise.say(`${failure.message}; starting it again`);
              setTimeout(() => {
                if (!stopping) handle.start().catch((error: Error) => options.supervise!.say(`could not start ${name} again: ${error.message}`));
              }, 1000);
            }
          }),
        );
        exited.catch(() => {});
        // The internal worker serves no gRPC of its own: it is up once it has joined the membership ring.
        await Promise.race([waitForPort(name === 'worker' ? ports.workerMembership : ports[name], 60_000), exited]);
      },
      async kill() {
        stopped = true;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child!.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      },
      async stop() {
        stopped = true;
        if (child) await stopProcess(child, 15_000);
      },
    };
    return handle;
  };

  const services = Object.fromEntries(TEMPORAL_SERVICES.map((name) => [name, service(name)])) as Record<TemporalService, ClusterService>;
  const stop = async () => {
    stopping = true;
    // The frontend first, so that no new request reaches services on their way out.
    for (const name of ['frontend', 'worker', 'matching', 'history'] as const) await services[name].stop();
  };
  try {
    for (const name of TEMPORAL_SERVICES) await services[name].start();
    const address = `127.0.0.1:${ports.frontend}`;
    await waitForFrontend(address, 120_000, () => unexpected);
    await setUpTemporal({ address }, namespace, { ...(options.searchAttributes && { attributes: options.searchAttributes }) });
    up = true;
    return { address, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
