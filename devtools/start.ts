/**
 * `npm start`: the whole service in one terminal on embedded defaults — PostgreSQL (unless DATABASE_URL),
 * migrations, the Temporal dev server with its Web UI (unless TEMPORAL_ADDRESS), the worker and the HTTP API.
 * `npm run start:cluster` (`--cluster`, issue 18): Temporal as a cluster of four service processes on that
 * PostgreSQL, two workers and two API replicas, in DATA_DIR=.data/cluster.
 * Ctrl-C stops everything in reverse order; a second start reuses DATA_DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { migrateDeploy, startEmbeddedPostgres } from './database';
import { DatabaseUnavailableError } from './postgres-runtime';
import { DATA_DIR, PROJECT_ROOT } from '../infra/paths';
import { startDevServer, stopProcess, waitForPort } from './temporal-server';
import { clusterDatabaseFrom, DEFAULT_CLUSTER_PORTS, startTemporalCluster } from './temporal-cluster';
import { ToolUnavailableError } from './tools';
import { startUiServer, uiOrigins } from './ui-server';
import { ensureDevelopmentCa } from '../infra/development-ca';
import { smartBridgeFileOf } from '../infra/smartbridge/gateway';
import { developmentSmartBridge } from './smartbridge-stand-in';
import { keyEntry, newApiKey, SCOPES, type Scope } from '../client/api/auth';
import type { Role } from '../domain/authority';
import { newPayloadKey } from '../infra/payload-codec';

const stops: Array<() => Promise<void>> = [];
let stopping = false;
/** Temporal as a cluster, and the service's workers and API replicated (npm run start:cluster). */
const asCluster = process.argv.includes('--cluster');
const REPLICAS = 2;

/** The development keys bound to a role (R1), besides the administrator's: `.data/dev-role-keys.json` holds them. */
const DEV_ROLES: Array<{ client: string; scopes: Scope[]; binding: { role: Role; units?: string[]; rateLimitPerMinute?: number } }> = [
  { client: 'portal', scopes: ['submit', 'read'], binding: { role: 'portal' } },
  { client: 'platform', scopes: ['submit', 'read'], binding: { role: 'platform' } },
  { client: 'almaty-education', scopes: ['decide', 'read'], binding: { role: 'provider', units: ['almaty-city-education-department'] } },
  { client: 'astana-education', scopes: ['decide', 'read'], binding: { role: 'provider', units: ['astana-city-education-department'] } },
  {
    client: 'quality-authority-almaty',
    scopes: ['decide', 'read'],
    binding: { role: 'quality-authority', units: ['quality-authority-almaty-city'] },
  },
  // R11: the Unified Contact Centre looks up a status by number and IIN, at a pace its operators talk at
  { client: 'contact-centre-1414', scopes: ['read'], binding: { role: 'contact-centre', rateLimitPerMinute: 120 } },
  // the service's staff: a support desk reads stuck cases and stories, an operator steers and decodes
  { client: 'support-desk', scopes: ['read'], binding: { role: 'support' } },
  { client: 'operations', scopes: ['read', 'decode', 'operate'], binding: { role: 'operator' } },
];

function say(message: string): void {
  process.stdout.write(`[start] ${message}\n`);
}

/** A secret kept in DATA_DIR, made on first start (development defaults only). */
/** A secret made on the first start and kept in .data/ for later ones. */
function devSecret(name: string, make: () => string = () => randomBytes(32).toString('hex')): string {
  const file = path.join(DATA_DIR, name);
  if (!fs.existsSync(file)) fs.writeFileSync(file, make(), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

function runNode(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  // One node process per part (tsx as a loader, not its wrapper CLI), so signals reach it directly.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, script)], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
  }
  child.once('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited unexpectedly (code ${code}, signal ${signal}); stopping everything`);
      void shutdown(1);
    }
  });
  stops.push(async () => {
    await stopProcess(child, 15_000);
    say(`${name} stopped`);
  });
  return child;
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      say(`while stopping: ${String(error)}`);
    }
  }
  say('stopped');
  process.exit(code);
}

async function main(): Promise<void> {
  // The terminal sends Ctrl-C to every process of the group; this process orders the shutdown.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };

  if (!env.DATABASE_URL) {
    const port = Number(env.EMBEDDED_PG_PORT ?? 5433);
    say(`starting the embedded PostgreSQL on :${port} (${path.join(DATA_DIR, 'postgres')})`);
    const db = await startEmbeddedPostgres(DATA_DIR, port);
    stops.push(db.stop);
    if (db.directory !== path.join(DATA_DIR, 'postgres')) say(`  its files are in ${db.directory}, where its own user can reach them`);
    env.DATABASE_URL = db.url;
  }
  // The CLI's calendar-override commands find this database without further setup.
  fs.writeFileSync(path.join(DATA_DIR, 'database-url'), `${env.DATABASE_URL}\n`, { mode: 0o600 });
  say('applying migrations (prisma migrate deploy)');
  await migrateDeploy(env.DATABASE_URL!);

  let uiUrl = env.TEMPORAL_UI_URL ?? null;
  if (!env.TEMPORAL_ADDRESS) {
    const port = Number(env.TEMPORAL_PORT ?? 7233);
    const uiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
    if (asCluster) {
      const database = clusterDatabaseFrom(env.DATABASE_URL!);
      say(
        `starting the Temporal cluster (history, matching, frontend on :${port}, worker) on ${database.host}:${database.port}; logs in ${path.join(DATA_DIR, 'logs')}`,
      );
      const started = Date.now();
      const cluster = await startTemporalCluster({
        database,
        logDir: path.join(DATA_DIR, 'logs'),
        ports: { ...DEFAULT_CLUSTER_PORTS, frontend: port },
        // A service that crashes is started again, as compose's restart policy does.
        supervise: { say: (message) => say(message) },
      });
      stops.push(cluster.stop);
      env.TEMPORAL_ADDRESS = cluster.address;
      say(`the Temporal cluster answers at ${cluster.address} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } else {
      say(`starting the Temporal dev server on :${port}`);
      const server = await startDevServer({ dataDir: DATA_DIR, port, logFile: path.join(DATA_DIR, 'logs', 'temporal.log') });
      stops.push(server.stop);
      env.TEMPORAL_ADDRESS = server.address;
    }
    // The UI decodes the encrypted payloads through the API's codec server, for operators signed in there.
    say(`starting Temporal's Web UI server on :${uiPort}`);
    const ui = await startUiServer({
      temporalAddress: env.TEMPORAL_ADDRESS,
      port: uiPort,
      dataDir: DATA_DIR,
      codecEndpoint: `http://localhost:${env.PORT ?? 3000}/codec`,
    });
    stops.push(ui.stop);
    uiUrl = ui.url;
    // The UI's own origin may call the codec, on whatever port it was given, by either name of this host.
    env.CODEC_CORS_ORIGINS ??= uiOrigins(uiPort).join(',');
  }
  env.IDENTITY_SECRET ??= devSecret('identity-secret');
  // Personal data goes to Temporal encrypted, on the embedded defaults too: a development key kept in .data/.
  env.PAYLOAD_KEYS ??= devSecret('payload-keys.json', () => JSON.stringify({ dev1: newPayloadKey() }));
  let devApiKey: string | null = null;
  if (!env.API_KEYS && !env.API_KEYS_FILE) {
    // Embedded defaults: one development key with every scope, kept in .data/ for the CLI and for you.
    devApiKey = devSecret('dev-api-key', newApiKey);
    // …and one key per role, bound as production keys are (R1), to try who may do what: .data/dev-role-keys.json
    const roleKeys = JSON.parse(devSecret('dev-role-keys.json', () => '{}')) as Record<string, string>;
    // a role added since the file was made gets its key too
    if (DEV_ROLES.some((r) => !roleKeys[r.client])) {
      for (const r of DEV_ROLES) roleKeys[r.client] ??= newApiKey();
      fs.writeFileSync(path.join(DATA_DIR, 'dev-role-keys.json'), JSON.stringify(roleKeys), { mode: 0o600 });
    }
    env.API_KEYS = JSON.stringify([
      keyEntry('development', devApiKey, SCOPES, { role: 'administrator' }),
      ...DEV_ROLES.map((r) => keyEntry(r.client, roleKeys[r.client], r.scopes, r.binding)),
    ]);
  }
  // The development CA, before the worker signs and the API publishes its certificate (infra/signer.ts).
  if (!env.SIGNERS_FILE) ensureDevelopmentCa(path.join(DATA_DIR, 'signing'));
  const receiverPort = Number(env.RECEIVER_PORT ?? 3001);
  if (!env.NOTIFIER_URL || !env.MONITORING_URL) {
    // The local stand-ins for the notifier and the monitoring system (R5, R12).
    env.RECEIVER_PORT = String(receiverPort);
    env.NOTIFIER_URL ??= `http://127.0.0.1:${receiverPort}/notifications`;
    env.MONITORING_URL ??= `http://127.0.0.1:${receiverPort}/stages`;
    // Signed as in production: the relay signs each post, the receiver refuses one that does not verify.
    env.NOTIFIER_WEBHOOK_SECRET ??= devSecret('dev-notifier-webhook-secret', () => randomBytes(32).toString('base64url'));
    env.MONITORING_WEBHOOK_SECRET ??= devSecret('dev-monitoring-webhook-secret', () => randomBytes(32).toString('base64url'));
    runNode('receiver', 'devtools/receiver-main.ts', env);
  }

  if (!env.SMARTBRIDGE_FILE) {
    // The local SmartBridge stand-in (issue 33): the state records come over the gateway's own protocol, SOAP with
    // WS-Security, from fixture registers (R8).
    const smartBridgePort = Number(env.SMARTBRIDGE_PORT ?? 3002);
    env.SMARTBRIDGE_PORT = String(smartBridgePort);
    env.SMARTBRIDGE_PASSWORD ??= devSecret('dev-smartbridge-password', () => randomBytes(16).toString('hex'));
    env.SMARTBRIDGE_FILE = developmentSmartBridge(DATA_DIR, smartBridgePort, env.SMARTBRIDGE_PASSWORD).file;
    runNode('smartbridge', 'devtools/smartbridge-main.ts', env);
    await waitForPort(smartBridgePort, 30_000);
  }

  env.METRICS_ADDRESS ??= '127.0.0.1:9464';
  env.API_METRICS_ADDRESS ??= '127.0.0.1:9474';
  const metricsAddresses: string[] = [];
  if (asCluster) {
    // Two workers on the one task queue, each with its own metrics port (the next one up).
    const [host, first] = [env.METRICS_ADDRESS.replace(/:\d+$/, ''), Number(env.METRICS_ADDRESS.split(':').pop())];
    for (let i = 0; i < REPLICAS; i++) {
      metricsAddresses.push(`${host}:${first + i}`);
      runNode(`worker-${i + 1}`, 'worker/main.ts', { ...env, METRICS_ADDRESS: metricsAddresses[i] });
    }
  } else {
    metricsAddresses.push(env.METRICS_ADDRESS);
    runNode('worker', 'worker/main.ts', env);
  }
  const port = Number(env.PORT ?? 3000);
  if (asCluster) runNode('api', 'devtools/api-replicas.ts', { ...env, API_REPLICAS: String(REPLICAS) });
  else runNode('api', 'client/api-main.ts', env);
  await waitForPort(port, 60_000);
  // "ready" means ready: the database, Temporal and a polling worker all answer /healthz (asked as a reader, whose
  // answer is never a cached one).
  const deadline = Date.now() + 180_000;
  while (
    (await fetch(`http://127.0.0.1:${port}/healthz`, devApiKey ? { headers: { authorization: `Bearer ${devApiKey}` } } : {}).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (Date.now() > deadline) throw new Error(`the service did not become healthy: see http://localhost:${port}/healthz and .data/logs/`);
    await new Promise((r) => setTimeout(r, 250));
  }

  say('ready');
  say(`  API          http://localhost:${port}  (GET /healthz, POST /applications)${asCluster ? `; ${REPLICAS} replicas` : ''}`);
  if (uiUrl) say(`  Temporal UI  ${uiUrl}  (payloads decode after signing in at http://localhost:${port}/codec/login)`);
  say(`  Temporal     ${env.TEMPORAL_ADDRESS}${asCluster ? '  (a cluster: history, matching, frontend, worker)' : ''}`);
  for (const address of metricsAddresses) say(`  Metrics      http://${address}/metrics  (Prometheus: worker, workflow and case metrics)`);
  say(
    `  API metrics  http://${env.API_METRICS_ADDRESS}/metrics  (Prometheus: the API's answers by route and status, and their times)${asCluster ? `; the next port up for each replica` : ''}`,
  );
  say(`  Notifier     ${env.NOTIFIER_URL}`);
  say(`  Monitoring   ${env.MONITORING_URL}`);
  say(
    `  Gateway      ${smartBridgeFileOf(env)?.endpoint ?? env.SMARTBRIDGE_FILE}  (SmartBridge SyncChannel v10, WS-Security; ${env.SMARTBRIDGE_FILE})`,
  );
  say(`  Database     ${env.DATABASE_URL!.replace(/:[^:@/]+@/, ':***@')}`);
  if (devApiKey) {
    say(`  API key      ${devApiKey}  (an administrator's, every scope; in ${path.join(DATA_DIR, 'dev-api-key')}; send Authorization: Bearer <key>)`);
    say(
      `  Role keys    ${path.join(DATA_DIR, 'dev-role-keys.json')}  (portal, platform, two providers, the authority's Almaty department, the contact centre 1414, a support desk, an operator: R1)`,
    );
  }
  // Issue 31: a decision is signed by its official; here a development authorised person's key stands in for theirs.
  say(
    `  Decisions    signed by the unit's authorised person (GET /authorised-persons; development keys issued by ${path.join(DATA_DIR, 'signing', 'ca')}):`,
  );
  say(
    `               npm run --silent cli -- decide <applicationId> --decision accept --official almaty-city-education-department-head --sign-as-development-person`,
  );
  if (asCluster)
    say(`  CLI          DATA_DIR=${path.relative(PROJECT_ROOT, DATA_DIR) || '.'} npm run --silent cli -- …  (this stack's keys and database)`);
  say('Ctrl-C stops everything.');
}

main().catch(async (error) => {
  // A cause the user can act on is one line with its fix; anything else gets its stack.
  const said = error instanceof ToolUnavailableError || error instanceof DatabaseUnavailableError;
  process.stdout.write(`[start] ${said ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  await shutdown(1);
});
