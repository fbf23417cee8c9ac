/**
 * End to end on the real stack: the Temporal dev server (built by scripts/tools.ts), an embedded PostgreSQL
 * with the committed migrations, the worker and the HTTP API, each on its own loopback port, in a temporary
 * data directory. Applications go in through HTTP and their notices are read back from the database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { createStore, type Store } from '../activities/store';
import { buildApi } from '../client/api';
import { formatInstant } from '../domain/calendar';
import { workflowIdFor } from '../client/identity';
import { migrateDeploy, startEmbeddedPostgresProcess, type RunningDatabase } from '../scripts/database';
import { startDevServer, type RunningDevServer } from '../scripts/temporal-server';
import { createWorker } from '../worker/worker';
import { essayOf, sampleIin, sampleSubmission } from './helpers/applications';
import { cli } from './helpers/cli';
import { freePort } from './helpers/ports';

const TASK_QUEUE = 'e2e';
let dataDir: string;
let db: RunningDatabase;
let server: RunningDevServer;
let store: Store;
let nativeConnection: NativeConnection;
let connection: Connection;
let client: Client;
let worker: Worker;
let workerRun: Promise<void>;
let api: FastifyInstance;
let baseUrl: string;

async function startWorker(): Promise<void> {
  worker = await createWorker({ connection: nativeConnection, store, taskQueue: TASK_QUEUE });
  workerRun = worker.run();
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-e2e-'));
  fs.chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user
  db = await startEmbeddedPostgresProcess(dataDir, await freePort());
  await migrateDeploy(db.url);
  store = createStore(db.url);
  server = await startDevServer({ dataDir, port: await freePort(), uiPort: null, logFile: path.join(dataDir, 'temporal.log') });
  nativeConnection = await NativeConnection.connect({ address: server.address });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
  await startWorker();
  api = buildApi({
    client,
    store,
    taskQueue: TASK_QUEUE,
    identitySecret: 'e2e-secret',
    campaignWindows: [{ academicYear: '2026-2027', opens: '2026-09-01T00:00:00+05:00', closes: '2027-06-01T00:00:00+05:00', basis: 'test order' }],
  });
  await api.listen({ port: 0, host: '127.0.0.1' });
  const address = api.server.address() as { port: number };
  baseUrl = `http://127.0.0.1:${address.port}`;
}, 180_000);

afterAll(async () => {
  await api?.close();
  worker?.shutdown();
  await workerRun?.catch(() => {});
  await nativeConnection?.close();
  await connection?.close();
  await store?.$disconnect();
  await server?.stop();
  await db?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function http(method: string, route: string, body?: unknown, raw?: string) {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: body === undefined && raw === undefined ? {} : { 'content-type': 'application/json' },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function workflowCount(): Promise<number> {
  return (await client.workflow.count()).count;
}

const VALID_IIN = sampleIin(1);
const BAD_IIN = `${VALID_IIN.slice(0, 11)}${(Number(VALID_IIN[11]) + 1) % 10}`;

// A weekday in working hours in the past: registered at once, the decision already owed.
const IN_HOURS = '2026-11-19T10:00:00+05:00';

describe('the service end to end (real Temporal dev server and PostgreSQL)', () => {
  test('answers /healthz when the worker, Temporal and the database are reachable', async () => {
    const health = await eventually(() => http('GET', '/healthz'), (r) => r.status === 200);
    expect(health.body).toEqual({ status: 'ok', checks: { database: 'ok', temporal: 'ok', worker: 'ok' } });
  });

  test.each([
    ['bad JSON', undefined, '{"iin": ', 400, null],
    ['a missing field', { ...sampleSubmission(), iin: undefined }, undefined, 400, 'iin'],
    ['an unknown field', { ...sampleSubmission(), salary: 1 }, undefined, 400, 'salary'],
    ['an unknown category', sampleSubmission({ category: 'principal' as never }), undefined, 400, 'category'],
    ['a bad IIN check digit', sampleSubmission({ iin: BAD_IIN }), undefined, 400, 'iin'],
    ['the wrong channel for the category (R2)', sampleSubmission({ category: 'master', channel: 'platform' }), undefined, 422, 'channel'],
    ['a submission outside the campaign window (R10)', sampleSubmission({ submittedAt: '2027-06-15T10:00:00+05:00' }), undefined, 422, 'submittedAt'],
  ])('refuses %s naming the field, and starts nothing', async (_name, body, raw, status, field) => {
    const before = await workflowCount();
    const response = await http('POST', '/applications', body, raw);
    expect(response.status).toBe(status);
    expect(response.body.error.field).toBe(field);
    expect(response.body.error.message).toEqual(expect.any(String));
    expect(await workflowCount()).toBe(before);
    expect(await store.application.count({ where: { iin: BAD_IIN } })).toBe(0);
  });

  test('an application travels from submission to the acceptance notice (R7, R3, R5)', async () => {
    const submission = sampleSubmission({ iin: sampleIin(101), submittedAt: IN_HOURS });
    const submitted = await http('POST', '/applications', submission);
    expect(submitted.status).toBe(202);
    const { applicationId, workflowId } = submitted.body;
    expect(workflowId).toBe(workflowIdFor(applicationId));
    expect(workflowId).not.toContain(submission.iin); // no personal data in ids

    const description = await client.workflow.getHandle(workflowId).describe();
    expect(description.type).toBe('applicationWorkflow');

    const review = await eventually(() => http('GET', `/applications/${applicationId}`), (r) => r.body.state === 'under-review');
    expect(review.body.registeredAt).toBe(new Date(IN_HOURS).toISOString());
    expect(review.body.decisionDueAt).toBe(new Date('2026-11-20T18:30:00+05:00').toISOString());

    const decided = await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' });
    expect(decided.status).toBe(200);
    expect(decided.body.state).toBe('accepted');

    const done = await eventually(() => http('GET', `/applications/${applicationId}`), (r) => r.body.state === 'notified' && r.body.notices.length > 0);
    expect(done.body.notices).toEqual([expect.objectContaining({ kind: 'acceptance' })]);
    expect(done.body.notices[0].body).toContain('УВЕДОМЛЕНИЕ');
    const rows = await store.notice.findMany({ where: { applicationId } });
    expect(rows).toHaveLength(1);
    const application = await store.application.findUniqueOrThrow({ where: { id: applicationId } });
    expect(application.state).toBe('notified');
    expect(application.decision).toBe('accept');
  });

  test('an essay of 249 words is registered, then refused automatically with a motivated refusal (R8, R9 ground 2)', async () => {
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(707), submittedAt: IN_HOURS, essay: essayOf(249) }));
    expect(submitted.status).toBe(202);
    const done = await eventually(() => http('GET', `/applications/${submitted.body.applicationId}`), (r) => r.body.state === 'notified' && r.body.notices.length > 0);
    expect(done.body).toMatchObject({ state: 'notified', decision: 'refuse', refusalGrounds: [2] });
    expect(done.body.registeredAt).toBe(new Date(IN_HOURS).toISOString());
    expect(done.body.notices[0].body).toContain('эссе содержит 249 слов');
  });

  test('the database refuses a second application of the teacher for the year even under another id (R10)', async () => {
    const submission = sampleSubmission({ iin: sampleIin(808), submittedAt: IN_HOURS });
    expect((await http('POST', '/applications', submission)).status).toBe(202);
    // Another deployment's identity key would give another workflow id: the database is the second guard.
    const handle = await client.workflow.start('applicationWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: 'application-00000000-0000-8000-8000-0000000000ff',
      args: [{ ...submission, applicationId: '00000000-0000-8000-8000-0000000000ff' }],
    });
    await expect(handle.result()).rejects.toThrow();
    expect(await store.application.count({ where: { iin: submission.iin } })).toBe(1);
  });

  test('a second application of the same teacher in the same academic year is refused with 409 (R10)', async () => {
    const submission = sampleSubmission({ iin: sampleIin(202), submittedAt: IN_HOURS });
    expect((await http('POST', '/applications', submission)).status).toBe(202);
    const again = await http('POST', '/applications', { ...submission, category: 'expert' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'duplicate-application', rule: 'R10' });
    const nextYear = await http('POST', '/applications', { ...submission, academicYear: '2027-2028', submittedAt: '2027-11-18T10:00:00+05:00' });
    expect(nextYear.status).toBe(202);
  });

  test('a decision given after the worker restarted still completes the case', async () => {
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(303), submittedAt: IN_HOURS }));
    const { applicationId } = submitted.body;
    await eventually(() => http('GET', `/applications/${applicationId}`), (r) => r.body.state === 'under-review');

    worker.shutdown();
    await workerRun;
    await startWorker();

    const refused = await http('POST', `/applications/${applicationId}/decision`, {
      decision: 'refuse',
      grounds: [2],
      motivation: 'the certificate of professional development courses is missing',
      official: 'A. Head',
    });
    expect(refused.status).toBe(200);
    const done = await eventually(() => http('GET', `/applications/${applicationId}`), (r) => r.body.state === 'notified' && r.body.notices.length > 0);
    expect(done.body).toMatchObject({ state: 'notified', decision: 'refuse', refusalGrounds: [2] });
    expect(done.body.notices[0].body).toContain('МОТИВИРОВАННЫЙ ОТКАЗ');
  });

  test('the applicant withdraws before the decision; a withdrawal or a decision afterwards is refused', async () => {
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(606), submittedAt: IN_HOURS }));
    const { applicationId } = submitted.body;
    await eventually(() => http('GET', `/applications/${applicationId}`), (r) => r.body.state === 'under-review');
    const withdrawn = await http('POST', `/applications/${applicationId}/withdrawal`, { reason: 'moving to another region' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.state).toBe('withdrawn');
    const row = await eventually(() => store.application.findUniqueOrThrow({ where: { id: applicationId } }), (r) => r.state === 'withdrawn');
    expect(row.decision).toBeNull();

    const again = await http('POST', `/applications/${applicationId}/withdrawal`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('withdrawal-not-allowed');
    const decision = await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' });
    expect(decision.status).toBe(409);
    expect((await http('POST', `/applications/${applicationId}/withdrawal`, { why: 'x' })).body.error).toMatchObject({ code: 'unknown-field', field: 'why' });
  });

  test('a decision is refused while the application waits for registration (R7, R3)', async () => {
    const lateTonight = `${formatInstant(new Date()).slice(0, 10)}T23:00:00+05:00`; // after hours: registers on a later day
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(404), submittedAt: lateTonight }));
    const { applicationId } = submitted.body;
    await eventually(() => http('GET', `/applications/${applicationId}`), (r) => r.body.state === 'waiting-for-registration');
    const early = await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/under review/);
    await client.workflow.getHandle(workflowIdFor(applicationId)).terminate('test over');
  });

  test("an operator's calendar override reaches the workflow through an activity (issue 3)", async () => {
    // Saturday 21 November 2026 declared a working day by a (test) order: a Saturday submission registers at once.
    await store.calendarOverride.create({
      data: { date: '2026-11-21', kind: 'working-day', basis: 'test order No. 1 of 23.11.2026', addedBy: 'e2e' },
    });
    const saturday = '2026-11-21T11:00:00+05:00';
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(505), submittedAt: saturday }));
    const review = await eventually(() => http('GET', `/applications/${submitted.body.applicationId}`), (r) => r.body.state === 'under-review');
    expect(review.body.registeredAt).toBe(new Date(saturday).toISOString());
    await store.calendarOverride.delete({ where: { date: '2026-11-21' } });
  });

  test('operators add and list calendar overrides through the CLI, with who and the legal basis (issue 3)', async () => {
    const env = { DATABASE_URL: db.url };
    const added = cli(['calendar', 'add-override', '--date', '2031-05-10', '--kind', 'working-day', '--basis', 'Order No. 7 of 01.04.2031', '--by', 'A. Operator'], { env });
    expect(added.status).toBe(0);
    const listed = cli(['calendar', 'overrides'], { env });
    expect(listed.stdout).toMatch(/2031-05-10 {2}working-day {2}Order No\. 7 of 01\.04\.2031 {2}\(added by A\. Operator/);
    expect(cli(['calendar', 'is-working-day', '2031-05-10'], { env }).stdout).toBe('false\n');
    expect(cli(['calendar', 'is-working-day', '2031-05-10', '--overrides'], { env }).stdout).toBe('true\n');
    const twice = cli(['calendar', 'add-override', '--date', '2031-05-10', '--kind', 'day-off', '--basis', 'Order No. 8', '--by', 'B'], { env });
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/not added/);
    await store.calendarOverride.delete({ where: { date: '2031-05-10' } });
  });
});
