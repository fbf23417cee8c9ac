/**
 * A payload-key rotation without an outage (issue 35), on the real stack: APIs and worker processes of the old
 * configuration run beside new ones on one task queue, as during a rolling deployment, through both steps of the procedure in
 * docs/operators.md — first every process reads the new key (PAYLOAD_KEYS), then it writes with it
 * (PAYLOAD_KEY_ID) — and no case is lost: every one submitted through either API is decided and delivered.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildReceiver } from '../devtools/receiver';
import { stopProcess } from '../devtools/temporal-server';
import { parseApiKeys, SCOPES } from '../client/api/auth';
import { workflowIdFor } from '../infra/identity';
import { EncryptionCodec, payloadKeysFromEnvironment } from '../infra/payload-codec';
import { academicYearOf, sampleIin, sampleSubmission } from './helpers/applications';
import { inHours } from './helpers/dev-stack';
import { eventually, httpClient, PATIENCE_MS, TEST_API_KEY } from './helpers/http';
import { registerSigningDir, signingDirIn } from './helpers/officials';
import { ensureDevelopmentCa } from '../infra/development-ca';
import { freePort } from './helpers/ports';
import { startHttpSide, startTestDatabase, startWorkerProcess, type HttpSide, type TestDatabase } from './helpers/service';
import { startTestTemporal, type TestTemporal } from './helpers/temporal';
import { academicYearWindow, machineNow } from './helpers/clock';

jest.setTimeout(8 * PATIENCE_MS);

const TASK_QUEUE = 'payload-key-rotation';
const KEY_1 = randomBytes(32).toString('base64');
const KEY_2 = randomBytes(32).toString('base64');

let database: TestDatabase;
let server: TestTemporal;
let connection: Connection;
/** The notifier and monitoring stand-in the workers deliver to. */
let receiver: FastifyInstance;
let receiverUrl: string;
/** A client without the codec: it reads the payloads as the server holds them. */
let rawClient: Client;

/** A configuration deployed: a worker process (worker/main.ts) and an API, each with the keys the environment gives. */
interface Deployment {
  name: string;
  http: ReturnType<typeof httpClient>;
  stop(): Promise<void>;
}
const running: Deployment[] = [];

async function deploy(name: string, env: { PAYLOAD_KEYS: string; PAYLOAD_KEY_ID?: string }): Promise<Deployment> {
  const codec = new EncryptionCodec(payloadKeysFromEnvironment(env)!);
  const worker = startWorkerProcess(
    {
      ...env,
      DATABASE_URL: database.db.url,
      TEMPORAL_ADDRESS: server.address,
      TASK_QUEUE,
      NOTIFIER_URL: `${receiverUrl}/notifications`,
      MONITORING_URL: `${receiverUrl}/stages`,
      METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
      DATA_DIR: database.dataDir,
    },
    path.join(database.dataDir, `worker-${running.length}.log`),
  );
  const httpSide: HttpSide = await startHttpSide({
    client: new Client({ connection, dataConverter: { payloadCodecs: [codec] } }),
    store: database.store,
    taskQueue: TASK_QUEUE,
    identitySecret: 'rotation-secret',
    apiKeys: parseApiKeys(JSON.stringify([{ client: 'e2e', key: TEST_API_KEY, scopes: [...SCOPES], role: 'administrator' }])),
    codec,
    submissionMaxDelayMs: 400 * 86_400_000,
    campaignWindows: [academicYearWindow(machineNow())],
    // issue 31: the officials' certificates, issued by the development CA the worker's DATA_DIR holds
    trustAnchorsPem: () => ensureDevelopmentCa(signingDirIn(database.dataDir)).certPem,
  });
  registerSigningDir(httpSide.baseUrl, signingDirIn(database.dataDir));
  const deployment: Deployment = {
    name,
    http: httpClient(() => httpSide.baseUrl),
    async stop() {
      await httpSide.stop();
      await stopProcess(worker);
      running.splice(running.indexOf(deployment), 1);
    },
  };
  running.push(deployment);
  return deployment;
}

beforeAll(async () => {
  database = await startTestDatabase('attestation-rotation-');
  server = await startTestTemporal(database.dataDir, database.db.url);
  connection = await Connection.connect({ address: server.address });
  rawClient = new Client({ connection });
  receiver = buildReceiver(database.store);
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  receiverUrl = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const deployment of [...running]) await deployment.stop();
  await receiver?.close();
  await connection?.close();
  await server?.stop();
  await database?.stop();
});

let serial = 3_600;
/** Submits a case through each deployment, and returns their ids. */
async function submitThrough(deployments: Deployment[]): Promise<string[]> {
  const ids: string[] = [];
  for (const d of deployments) {
    const submittedAt = inHours();
    const answer = await d.http(
      'POST',
      '/applications',
      sampleSubmission({ iin: sampleIin(serial++), submittedAt, academicYear: academicYearOf(submittedAt) }),
    );
    expect({ through: d.name, status: answer.status }).toEqual({ through: d.name, status: 202 });
    ids.push(answer.body.applicationId as string);
  }
  return ids;
}

/** Each case reviewed, decided through one deployment and read through another, until its result is delivered. */
async function deliverAll(ids: string[], deployments: Deployment[]): Promise<string[]> {
  const states: string[] = [];
  for (const [i, id] of ids.entries()) {
    const deciding = deployments[i % deployments.length];
    const reading = deployments[(i + 1) % deployments.length];
    await eventually(
      () => reading.http('GET', `/applications/${id}`),
      (r) => r.body.state === 'under-review',
    );
    expect((await deciding.http('POST', `/applications/${id}/decision`, { decision: 'accept', official: 'A. Head' })).status).toBe(200);
    const delivered = await eventually(
      () => reading.http('GET', `/applications/${id}`),
      (r) => r.body.state === 'notified',
    );
    states.push(delivered.body.state as string);
  }
  return states;
}

/** The key id each case's start was written with, as the server holds it. */
async function startedWith(ids: string[]): Promise<string[]> {
  const keyIds: string[] = [];
  for (const id of ids) {
    const history = await rawClient.workflow.getHandle(workflowIdFor(id)).fetchHistory();
    const metadata = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.metadata;
    keyIds.push(Buffer.from(metadata?.['encryption-key-id'] ?? new Uint8Array()).toString());
  }
  return keyIds;
}

test('both steps of a rotation, old and new processes side by side: every case submitted through either is delivered', async () => {
  const old = await deploy('old: k1 only', { PAYLOAD_KEYS: JSON.stringify({ k1: KEY_1 }) });
  const firstCases = await submitThrough([old]);

  // Step 1: new processes read k2, still write k1, beside the old ones (a rolling deployment).
  const reading = await deploy('step 1: reads k1 and k2, writes k1', {
    PAYLOAD_KEYS: JSON.stringify({ k1: KEY_1, k2: KEY_2 }),
    PAYLOAD_KEY_ID: 'k1',
  });
  const stepOneCases = await submitThrough([old, reading, old, reading]);
  expect(await deliverAll([...firstCases, ...stepOneCases], [old, reading])).toEqual(Array(5).fill('notified'));

  // Every process reads k2 now: the old ones go. Step 2: processes that write k2, beside those that still write k1.
  await old.stop();
  const writing = await deploy('step 2: reads k1 and k2, writes k2', {
    PAYLOAD_KEYS: JSON.stringify({ k1: KEY_1, k2: KEY_2 }),
    PAYLOAD_KEY_ID: 'k2',
  });
  const stepTwoCases = await submitThrough([reading, writing, reading, writing]);
  expect(await deliverAll(stepTwoCases, [writing, reading])).toEqual(Array(4).fill('notified'));
  // Both keys were written during step 2, and each process read the other's.
  expect(await startedWith(stepTwoCases)).toEqual(['k1', 'k2', 'k1', 'k2']);
  expect(await startedWith(firstCases)).toEqual(['k1']);
});
