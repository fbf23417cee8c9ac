/** The service's parts for tests that run it for real: a fresh database, and its HTTP side on loopback ports. */
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { Tracing } from '../../infra/tracing';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../../infra/store';
import type { StateRecordsGateway } from '../../infra/gateway';
import { buildApi, type ApiDeps } from '../../client/api/server';
import { buildReceiver } from '../../devtools/receiver';
import { startScratchDatabase, type ScratchDatabase } from '../../devtools/database';
import { startOutboxRelay } from '../../worker/outbox-relay';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { developmentSigners } from '../../infra/signers';
import { registerSigningDir } from './officials';
import { shippedProviderUnits } from '../../infra/provider-units';
import { parseApiKeys } from '../../client/api/auth';
import { createWorker } from '../../worker/worker';
import { TEST_API_KEY, eventually } from './http';
import { createTimeSkippingEnv } from './workflow-env';
import { DateTime } from 'luxon';
import { ZONE } from '../../domain/calendar';
import { registrationMoment } from './clock';

export type TestDatabase = ScratchDatabase;

/** An embedded PostgreSQL in a fresh temporary directory, with the committed migrations applied. */
export const startTestDatabase = startScratchDatabase;

export interface HttpSide {
  baseUrl: string;
  /** closes the API, stops the relay, closes the receiver */
  stop(): Promise<void>;
}

/** The local receiver, the outbox relay delivering to it, and the API. */
export async function startHttpSide(options: ApiDeps): Promise<HttpSide> {
  const receiver = buildReceiver(options.store);
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  const receiverUrl = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}`;
  const relay = startOutboxRelay(
    options.store,
    { notifier: `${receiverUrl}/notifications`, monitoring: `${receiverUrl}/stages` },
    { intervalMs: 100 },
  );
  // Tests send thousands of requests as one client: the limiter is tested by itself (test/api-contract.test.ts, 'submittedAt and the rate limit').
  const api = buildApi({ rateLimitPerMinute: 1_000_000, authFailuresPerMinute: 1_000_000, ...options });
  await api.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl: `http://127.0.0.1:${(api.server.address() as { port: number }).port}`,
    async stop() {
      await api.close();
      await relay.stop();
      await receiver.close();
    },
  };
}

/** The worker as a process of its own (worker/main.ts, as `npm start` runs it), so a test can kill it. */
export function startWorkerProcess(env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  return spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'worker', 'main.ts')], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
}

/** Every real part but the clock: PostgreSQL, the real activities, relay, receiver and API, on the time-skipping server. */
export interface TimeSkippingStack {
  store: Store;
  /** the stack's PostgreSQL, for the CLI (DATABASE_URL) */
  databaseUrl: string;
  env: TestWorkflowEnvironment;
  baseUrl: string;
  /** the development CA's certificate, which every document's signer chains to */
  trustAnchorsPem: string;
  /** the development CA's folder, whose authorised persons' keys sign decisions (issue 31) */
  signingDir: string;
  /** moves the test server's clock forward to an instant */
  skipTo(instant: Date): Promise<void>;
  /** moves the clock just past the next working moment, where a submission registers at once (R7): the instant, ISO */
  atNextWorkingMoment(): Promise<string>;
  /**
   * A second API beside the stack's, on the same options but `overrides` (another Temporal client, store or task
   * queue): its base URL. It closes with the stack.
   */
  anotherApi(overrides: Partial<ApiDeps>): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the stack for a test file. Time moves only when the test says so (env.sleep), never while it waits for
 * a reply. `api` adds to or overrides the API's options.
 */
export async function startTimeSkippingStack(
  name: string,
  api: Partial<ApiDeps> = {},
  workerDeps: { gateway?: (store: Store) => StateRecordsGateway; tracing?: Tracing } = {},
): Promise<TimeSkippingStack> {
  const database = await startTestDatabase(`attestation-${name}-`);
  const env = await createTimeSkippingEnv();
  await env.connection.testService!.lockTimeSkipping({});
  const signers = developmentSigners(path.join(database.dataDir, 'signing'), shippedProviderUnits());
  const taskQueue = `${name}-api`;
  const worker = await createWorker({
    connection: env.nativeConnection,
    store: database.store,
    signers,
    taskQueue,
    ...(workerDeps.gateway && { gateway: workerDeps.gateway(database.store) }),
    ...(workerDeps.tracing && { tracing: workerDeps.tracing }),
  });
  const workerRun = worker.run();
  // The API's clock follows the test server's, as in a deployment both read the same time.
  let offset = (await env.currentTimeMs()) - Date.now();
  const apiDeps: ApiDeps = {
    now: () => new Date(Date.now() + offset),
    client: new Client({
      connection: env.connection,
      namespace: env.namespace,
      // tracing, the request's span is the parent of the workflow's start or update (as in client/api-main.ts)
      ...(workerDeps.tracing && { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } }),
    }),
    store: database.store,
    taskQueue,
    identitySecret: `${name}-secret`,
    apiKeys: parseApiKeys(JSON.stringify([{ client: 'e2e', key: TEST_API_KEY, scopes: ['submit', 'decide', 'read'], role: 'administrator' }])),
    trustAnchorsPem: () => signers.trustAnchorsPem(),
    ...api,
  };
  const httpSide = await startHttpSide(apiDeps);
  registerSigningDir(httpSide.baseUrl, path.join(database.dataDir, 'signing'));
  const others: ReturnType<typeof buildApi>[] = [];
  const skipTo = async (instant: Date) => {
    const ms = instant.getTime() - (await env.currentTimeMs());
    if (ms > 0) await env.sleep(ms);
    offset = (await env.currentTimeMs()) - Date.now();
  };
  return {
    store: database.store,
    databaseUrl: database.db.url,
    env,
    baseUrl: httpSide.baseUrl,
    trustAnchorsPem: signers.trustAnchorsPem(),
    signingDir: path.join(database.dataDir, 'signing'),
    skipTo,
    async atNextWorkingMoment() {
      await skipTo(new Date(registrationMoment(new Date(await env.currentTimeMs())).getTime() + 1000));
      return DateTime.fromMillis(await env.currentTimeMs(), { zone: ZONE }).toISO()!;
    },
    async anotherApi(overrides) {
      const other = buildApi({ rateLimitPerMinute: 1_000_000, authFailuresPerMinute: 1_000_000, ...apiDeps, ...overrides });
      others.push(other);
      await other.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(other.server.address() as { port: number }).port}`;
      registerSigningDir(url, path.join(database.dataDir, 'signing'));
      return url;
    },
    async stop() {
      for (const other of others) await other.close();
      await httpSide.stop();
      worker.shutdown();
      await workerRun.catch(() => {});
      await env.teardown();
      await database.stop();
    },
  };
}

/**
 * Waits until every outbox message of a case has reached the local receiver, checks that each arrived exactly
 * once, and answers their keys.
 */
export async function keysDeliveredOnce(store: Store, applicationId: string): Promise<string[]> {
  const outbox = await store.outboxMessage.findMany({ where: { payload: { path: ['applicationId'], equals: applicationId } } });
  const received = await eventually(
    () => store.receivedMessage.findMany({ where: { key: { in: outbox.map((m) => m.key) } } }),
    (r) => r.length === outbox.length,
  );
  expect(received.every((m) => m.deliveries === 1)).toBe(true);
  return received.map((m) => m.key);
}
