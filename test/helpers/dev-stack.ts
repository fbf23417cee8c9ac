/**
 * The real stack for end-to-end tests: the Temporal dev server (built by devtools/tools.ts) or a cluster, an embedded
 * PostgreSQL with the committed migrations, a worker and the HTTP API, each on its own loopback port, in a
 * temporary data directory. Every payload sent to Temporal is encrypted, as in production.
 */
import { reportCaseGauges } from '../../worker/case-gauges';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities, type Activities } from '../../activities';
import { parseApiKeys, SCOPES } from '../../client/api/auth';
import type { RunningDatabase } from '../../devtools/database';
import { EncryptionCodec, FAILURE_CONVERTER_PATH } from '../../infra/payload-codec';
import { shippedProviderUnits } from '../../infra/provider-units';
import type { UnitSigners } from '../../infra/signer';
import { developmentSigners } from '../../infra/signers';
import { registerSigningDir } from './officials';
import type { Store } from '../../infra/store';
import { installTelemetry } from '../../worker/telemetry';
import { createWorker } from '../../worker/worker';
import { TEST_API_KEY, eventually, httpClient } from './http';
import { freePort } from './ports';
import { startHttpSide, startTestDatabase, type HttpSide, type TestDatabase } from './service';
import { startTestTemporal, type TestTemporal } from './temporal';
import { academicYearWindow, machineNow, recentWorkingMorning } from './clock';

/** A key that may only read, as a support desk holds. */
export const READ_ONLY_KEY = 'support-desk-key-read-only-0123';
/**
 * 10:00 of the working day two working days back (published calendar, the machine's clock, which the dev server's
 * workflows follow): a submission dated then is registered at once, and its decision is already owed (R7, R3).
 */
export function inHours(): string {
  return recentWorkingMorning(machineNow()).toISOString();
}

/**
 * How far back the stack takes a caller's `submittedAt`: dated scenarios reach back to the latest holiday, which
 * can be months ago. Derived dates never overtake it; the default bound (SUBMISSION_MAX_DELAY) is tested apart.
 */
const SUBMISSION_MAX_DELAY_MS = 400 * 86_400_000;

export interface DevStack {
  taskQueue: string;
  dataDir: string;
  db: RunningDatabase;
  /** the dev server, or with TEMPORAL_TOPOLOGY=cluster a cluster (test/helpers/temporal.ts) */
  server: TestTemporal;
  store: Store;
  nativeConnection: NativeConnection;
  client: Client;
  /** every unit's development signer, issued by the stack's own development CA */
  signers: UnitSigners;
  dataConverter: { payloadCodecs: EncryptionCodec[]; failureConverterPath: string };
  baseUrl: string;
  http: ReturnType<typeof httpClient>;
  /** the e-government gateway is "down" for these IINs: their look-up keeps failing until a test lifts it */
  gatewayDown: Set<string>;
  /** the worker's JSON log lines and its metrics port, when started with telemetry */
  logLines: string[];
  metricsPort: number;
  /** stops the worker (draining it), then starts one with these activities (the real ones by default) */
  restartWorker(activities?: Activities): Promise<void>;
  /** how many workflows the server holds */
  workflowCount(): Promise<number>;
  /** submits, waits for review, decides (accepts unless told), and waits for the result in the cabinet: the id */
  delivered(submission: object, decision?: object): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the stack for a test file; `telemetry` installs the worker's logging and metrics first (once a process);
 * `codecCorsOrigins` are the Temporal UI origins the codec server answers (a browser test's UI server); `moreKeys`
 * are API key entries beside the administrator's and the support desk's.
 */
export async function startDevStack(
  name: string,
  { telemetry = false, codecCorsOrigins, moreKeys = [] }: { telemetry?: boolean; codecCorsOrigins?: string[]; moreKeys?: object[] } = {},
): Promise<DevStack> {
  const taskQueue = name;
  const database: TestDatabase = await startTestDatabase(`attestation-${name}-`);
  const { dataDir, db, store } = database;
  const server = await startTestTemporal(dataDir, db.url);
  const logLines: string[] = [];
  const metricsPort = await freePort();
  if (telemetry) installTelemetry({ metricsAddress: `127.0.0.1:${metricsPort}`, write: (line) => void logLines.push(line) });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  // Two keys, the second current: a rotated-out key still decodes (docs/operators.md).
  const codec = new EncryptionCodec({ current: 'e2e-1', keys: { 'e2e-0': randomBytes(32), 'e2e-1': randomBytes(32) } });
  const dataConverter = { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
  const client = new Client({ connection, dataConverter });
  const signers = developmentSigners(path.join(dataDir, 'signing'), shippedProviderUnits());
  const gatewayDown = new Set<string>();

  let worker: Worker;
  let workerRun: Promise<void>;
  const startWorker = async (given?: Activities) => {
    const real = createActivities({ store, signers });
    const activities = given ?? {
      ...real,
      async lookUpStateRecords(args: { iin: string }) {
        if (gatewayDown.has(args.iin)) throw new Error('gateway unavailable: connection refused (test)');
        return real.lookUpStateRecords(args);
      },
    };
    worker = await createWorker({ connection: nativeConnection, store, signers, taskQueue, dataConverter, options: { activities } });
    workerRun = worker.run();
  };
  await startWorker();
  // With telemetry, the worker's gauges of open breaches and the outbox too, each second (worker/case-gauges.ts).
  const gauges = telemetry ? reportCaseGauges(store, { intervalMs: 1_000 }) : null;

  const httpSide: HttpSide = await startHttpSide({
    trustAnchorsPem: () => signers.trustAnchorsPem(),
    client,
    store,
    taskQueue,
    identitySecret: `${name}-secret`,
    apiKeys: parseApiKeys(
      JSON.stringify([
        { client: 'e2e', key: TEST_API_KEY, scopes: [...SCOPES], role: 'administrator' },
        { client: 'support-desk', key: READ_ONLY_KEY, scopes: ['read'], role: 'support' },
        ...moreKeys,
      ]),
    ),
    codec,
    ...(codecCorsOrigins && { codecCorsOrigins }),
    submissionMaxDelayMs: SUBMISSION_MAX_DELAY_MS,
    // R10: this academic year and the last, whole, whatever day the suite runs (dated scenarios may fall in either).
    campaignWindows: [academicYearWindow(new Date(machineNow().getTime() - 365 * 86_400_000)), academicYearWindow(machineNow())],
  });
  const baseUrl = httpSide.baseUrl;
  registerSigningDir(baseUrl, path.join(dataDir, 'signing'));

  return {
    taskQueue,
    dataDir,
    db,
    server,
    store,
    nativeConnection,
    client,
    signers,
    dataConverter,
    baseUrl,
    http: httpClient(() => baseUrl),
    gatewayDown,
    logLines,
    metricsPort,
    async restartWorker(activities) {
      worker.shutdown();
      await workerRun;
      await startWorker(activities);
    },
    async workflowCount() {
      return (await client.workflow.count()).count;
    },
    async delivered(submission, decision = { decision: 'accept', official: 'A. Head' }) {
      const http = httpClient(() => baseUrl);
      const { applicationId } = (await http('POST', '/applications', submission)).body as { applicationId: string };
      const state = (wanted: string) =>
        eventually(
          () => http('GET', `/applications/${applicationId}`),
          (r) => r.body.state === wanted,
        );
      await state('under-review');
      const decided = await http('POST', `/applications/${applicationId}/decision`, decision);
      if (decided.status !== 200) throw new Error(`the decision was refused: ${decided.status} ${JSON.stringify(decided.body)}`);
      await state('notified');
      return applicationId;
    },
    async stop() {
      await gauges?.stop();
      await httpSide.stop();
      worker?.shutdown();
      await workerRun?.catch(() => {});
      await nativeConnection.close();
      await connection.close();
      await server.stop();
      await database.stop();
    },
  };
}
