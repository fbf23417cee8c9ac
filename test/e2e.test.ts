/**
 * End to end on the real stack: the Temporal dev server (built by devtools/tools.ts), an embedded PostgreSQL
 * with the committed migrations, the worker and the HTTP API, each on its own loopback port, in a temporary
 * data directory. Applications go in through HTTP and their notices are read back from the database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Store } from '../infra/store';
import { WorkingCalendar, formatInstant } from '../domain/calendar';
import { ComplaintAddresseeKey } from '../domain/search-attributes';
import { workflowIdFor } from '../infra/identity';
import type { RunningDatabase } from '../devtools/database';
import { startHttpSide, startTestDatabase, type HttpSide, type TestDatabase } from './helpers/service';
import { startDevServer, type RunningDevServer } from '../devtools/temporal-server';
import { createWorker } from '../worker/worker';
import { CmsSigner, createDevelopmentCredentials, verifySignature } from '../infra/signer';
import { createActivities } from '../activities';
import { execFileSync } from 'node:child_process';
import { academicYearOf, essayOf, sampleIin, sampleSubmission } from './helpers/applications';
import { cli, cliAsync } from './helpers/cli';
import { freePort } from './helpers/ports';
import { randomBytes } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { EncryptionCodec } from '../infra/payload-codec';
import { expireIdempotentRequests } from '../client/api/idempotency';
import { installTelemetry } from '../worker/telemetry';
import { TEST_API_KEY, eventually, httpClient } from './helpers/http';
import { parseApiKeys } from '../client/api/auth';

const TASK_QUEUE = 'e2e';
const READ_ONLY_KEY = 'support-desk-key-read-only-0123';
let dataDir: string;
let db: RunningDatabase;
let server: RunningDevServer;
let store: Store;
let nativeConnection: NativeConnection;
let connection: Connection;
let client: Client;
let worker: Worker;
let workerRun: Promise<void>;
let database: TestDatabase;
let httpSide: HttpSide;
let baseUrl: string;

let signer: CmsSigner;
let metricsPort: number;
const logLines: string[] = [];
// Every payload this test's service sends to Temporal is encrypted, as in production (issue 6).
const codec = new EncryptionCodec({ current: 'e2e-1', keys: { 'e2e-0': randomBytes(32), 'e2e-1': randomBytes(32) } });
const dataConverter = { payloadCodecs: [codec] };

// The e-government gateway is "down" for these teachers: their look-up keeps failing until a test lifts it.
const gatewayDown = new Set<string>();

async function startWorker(): Promise<void> {
  const real = createActivities({ store, signer });
  const activities = {
    ...real,
    async lookUpStateRecords(args: { iin: string }) {
      if (gatewayDown.has(args.iin)) throw new Error('gateway unavailable: connection refused (test)');
      return real.lookUpStateRecords(args);
    },
  };
  worker = await createWorker({ connection: nativeConnection, store, signer, taskQueue: TASK_QUEUE, dataConverter, options: { activities } });
  workerRun = worker.run();
}

beforeAll(async () => {
  database = await startTestDatabase('attestation-e2e-');
  ({ dataDir, db, store } = database);
  server = await startDevServer({ dataDir, port: await freePort(), uiPort: null, logFile: path.join(dataDir, 'temporal.log') });
  metricsPort = await freePort();
  installTelemetry({ metricsAddress: `127.0.0.1:${metricsPort}`, write: (line) => void logLines.push(line) });
  nativeConnection = await NativeConnection.connect({ address: server.address });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection, dataConverter });
  const credentials = createDevelopmentCredentials();
  signer = new CmsSigner(credentials.keyPem, credentials.certPem);
  await startWorker();
  httpSide = await startHttpSide({
    certificatePem: () => credentials.certPem,
    client,
    store,
    taskQueue: TASK_QUEUE,
    identitySecret: 'e2e-secret',
    apiKeys: parseApiKeys(
      JSON.stringify([
        { client: 'e2e', key: TEST_API_KEY, scopes: ['submit', 'decide', 'read', 'decode'] },
        { client: 'support-desk', key: READ_ONLY_KEY, scopes: ['read'] },
      ]),
    ),
    codec,
    campaignWindows: [{ academicYear: '2026-2027', opens: '2026-09-01T00:00:00+05:00', closes: '2027-06-01T00:00:00+05:00', basis: 'test order' }],
  });
  baseUrl = httpSide.baseUrl;
}, 180_000);

afterAll(async () => {
  await httpSide?.stop();
  worker?.shutdown();
  await workerRun?.catch(() => {});
  await nativeConnection?.close();
  await connection?.close();
  await server?.stop();
  await database?.stop();
});

const http = httpClient(() => baseUrl);

async function workflowCount(): Promise<number> {
  return (await client.workflow.count()).count;
}

const VALID_IIN = sampleIin(1);
const BAD_IIN = `${VALID_IIN.slice(0, 11)}${(Number(VALID_IIN[11]) + 1) % 10}`;

// A weekday in working hours in the past: registered at once, the decision already owed.
const IN_HOURS = '2026-11-19T10:00:00+05:00';

describe('the service end to end (real Temporal dev server and PostgreSQL)', () => {
  test('answers /healthz when the worker, Temporal and the database are reachable', async () => {
    const health = await eventually(
      () => http('GET', '/healthz'),
      (r) => r.status === 200,
    );
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

    const review = await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'under-review',
    );
    expect(review.body.registeredAt).toBe(new Date(IN_HOURS).toISOString());
    expect(review.body.decisionDueAt).toBe(new Date('2026-11-20T18:30:00+05:00').toISOString());

    const decided = await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' });
    expect(decided.status).toBe(200);
    expect(decided.body.state).toBe('accepted');

    // R13: the case stays open for complaints once its result is delivered.
    const done = await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'notified' && r.body.notices.length > 0,
    );
    expect(done.body.complaintPeriodEndsAt).toEqual(expect.any(String));
    expect(done.body.notices.map((n: { kind: string; language: string }) => `${n.kind}/${n.language}`).sort()).toEqual([
      'acceptance/kk',
      'acceptance/ru',
    ]);
    const rows = await store.notice.findMany({ where: { applicationId } });
    expect(rows).toHaveLength(2);

    // R5: the cabinet shows the signed documents, and each signature verifies with the published certificate.
    const cabinet = await http('GET', `/cabinets/${submitted.body.cabinetId}`);
    expect(cabinet.status).toBe(200);
    const documents = cabinet.body.applications[0].documents as Array<{ body: string; language: string; signature: { value: string } }>;
    expect(documents.find((d) => d.language === 'ru')!.body).toContain('УВЕДОМЛЕНИЕ о приеме документов');
    expect(documents.find((d) => d.language === 'kk')!.body).toContain('ХАБАРЛАМА');
    const certificate = await (await fetch(`${baseUrl}/signing-certificate`)).text();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-'));
    for (const d of documents) {
      expect(verifySignature(Buffer.from(d.body, 'utf8'), d.signature.value, certificate)).toBe(true);
      expect(verifySignature(Buffer.from(`${d.body} `, 'utf8'), d.signature.value, certificate)).toBe(false);
      // …and with OpenSSL, independently of our code.
      fs.writeFileSync(path.join(scratch, 'doc'), d.body);
      fs.writeFileSync(path.join(scratch, 'sig'), Buffer.from(d.signature.value, 'base64'));
      fs.writeFileSync(path.join(scratch, 'cert.pem'), certificate);
      execFileSync(
        'openssl',
        ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig', '-content', 'doc', '-CAfile', 'cert.pem', '-out', '/dev/null'],
        { cwd: scratch, stdio: 'pipe' },
      );
    }
    fs.rmSync(scratch, { recursive: true, force: true });
    expect(JSON.stringify(cabinet.body)).not.toContain(submission.iin);

    // R5, R12: the notice reached the notifier and every stage reached monitoring, each exactly once.
    const received = await eventually(
      () => store.receivedMessage.findMany({ where: { key: { contains: applicationId } } }),
      (r) => r.some((m) => m.key === `notice:${applicationId}:acceptance`) && r.some((m) => m.key === `stage:${applicationId}:notified`),
    );
    expect(received.map((m) => m.key).sort()).toEqual(
      [
        `escalation:${applicationId}`,
        `notice:${applicationId}:acceptance`,
        ...['decision-overdue', 'notified', 'under-review'].map((s) => `stage:${applicationId}:${s}`),
      ].sort(),
    );
    for (const m of received) expect(m.deliveries).toBe(1);
    const application = await store.application.findUniqueOrThrow({ where: { id: applicationId } });
    expect(application.state).toBe('notified');
    expect(application.decision).toBe('accept');
  });

  test('an essay of 249 words is registered, then refused automatically with a motivated refusal (R8, R9 ground 2)', async () => {
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(707), submittedAt: IN_HOURS, essay: essayOf(249) }));
    expect(submitted.status).toBe(202);
    const done = await eventually(
      () => http('GET', `/applications/${submitted.body.applicationId}`),
      (r) => r.body.state === 'notified' && r.body.notices.length > 0,
    );
    expect(done.body).toMatchObject({ state: 'notified', decision: 'refuse', refusalGrounds: [2] });
    expect(done.body.registeredAt).toBe(new Date(IN_HOURS).toISOString());
    expect(done.body.notices.find((n: { language: string }) => n.language === 'ru').body).toContain('эссе содержит 249 слов');
  });

  test('an application without consent to personal-data access is refused automatically on ground 3 (R9)', async () => {
    const submitted = await http(
      'POST',
      '/applications',
      sampleSubmission({ iin: sampleIin(1010), submittedAt: IN_HOURS, personalDataConsent: false }),
    );
    const done = await eventually(
      () => http('GET', `/applications/${submitted.body.applicationId}`),
      (r) => r.body.state === 'notified' && r.body.notices.length > 0,
    );
    expect(done.body).toMatchObject({ decision: 'refuse', refusalGrounds: [3] });
    expect(done.body.notices.find((n: { language: string }) => n.language === 'kk').body).toContain('келісімінің болмауы');
  });

  test('the database refuses a second application of the teacher for the year even under another id (R10)', async () => {
    const submission = sampleSubmission({ iin: sampleIin(808), submittedAt: IN_HOURS });
    expect((await http('POST', '/applications', submission)).status).toBe(202);
    await eventually(
      () => store.application.count({ where: { iin: submission.iin } }),
      (n) => n === 1,
    );
    // Another deployment's identity key would give another workflow id: the database is the second guard.
    const handle = await client.workflow.start('applicationWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: 'application-00000000-0000-8000-8000-0000000000ff',
      args: [{ ...submission, applicationId: '00000000-0000-8000-8000-0000000000ff' }],
    });
    await expect(handle.result()).rejects.toThrow();
    expect(await store.application.count({ where: { iin: submission.iin } })).toBe(1);
  });

  test('a submission on a holiday registers at 09:00 of the next working day, here after a transferred day off (R7)', async () => {
    // Sunday 25 October 2026 is Republic Day; its day off moves to Monday 26, so Tuesday 27 is the next working day.
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(1111), submittedAt: '2026-10-25T11:00:00+05:00' }));
    const review = await eventually(
      () => http('GET', `/applications/${submitted.body.applicationId}`),
      (r) => r.body.registeredAt !== null,
    );
    expect(review.body.registeredAt).toBe(new Date('2026-10-27T09:00:00+05:00').toISOString());
    expect(review.body.decisionDueAt).toBe(new Date('2026-10-28T18:30:00+05:00').toISOString());
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
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'under-review',
    );

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
    const done = await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'notified' && r.body.notices.length > 0,
    );
    expect(done.body).toMatchObject({ state: 'notified', decision: 'refuse', refusalGrounds: [2] });
    const russian = done.body.notices.find((n: { language: string }) => n.language === 'ru');
    expect(russian.body).toContain('МОТИВИРОВАННЫЙ ОТКАЗ');
  });

  test('the applicant withdraws before the decision; a withdrawal or a decision afterwards is refused', async () => {
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(606), submittedAt: IN_HOURS }));
    const { applicationId } = submitted.body;
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'under-review',
    );
    const withdrawn = await http('POST', `/applications/${applicationId}/withdrawal`, { reason: 'moving to another region' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.state).toBe('withdrawn');
    const row = await eventually(
      () => store.application.findUniqueOrThrow({ where: { id: applicationId } }),
      (r) => r.state === 'withdrawn',
    );
    expect(row.decision).toBeNull();

    const again = await http('POST', `/applications/${applicationId}/withdrawal`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('withdrawal-not-allowed');
    const decision = await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' });
    expect(decision.status).toBe(409);
    expect((await http('POST', `/applications/${applicationId}/withdrawal`, { why: 'x' })).body.error).toMatchObject({
      code: 'unknown-field',
      field: 'why',
    });
  });

  test('a decision is refused while the application waits for registration (R7, R3)', async () => {
    const lateTonight = `${formatInstant(new Date()).slice(0, 10)}T23:00:00+05:00`; // after hours: registers on a later day
    const submitted = await http(
      'POST',
      '/applications',
      sampleSubmission({ iin: sampleIin(404), submittedAt: lateTonight, academicYear: academicYearOf(lateTonight) }),
    );
    const { applicationId } = submitted.body;
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'waiting-for-registration',
    );
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
    const review = await eventually(
      () => http('GET', `/applications/${submitted.body.applicationId}`),
      (r) => r.body.state === 'under-review',
    );
    expect(review.body.registeredAt).toBe(new Date(saturday).toISOString());
    await store.calendarOverride.delete({ where: { date: '2026-11-21' } });
  });

  test('operators add and list calendar overrides through the CLI, with who and the legal basis (issue 3)', async () => {
    const env = { DATABASE_URL: db.url };
    const added = cli(
      ['calendar', 'add-override', '--date', '2031-05-10', '--kind', 'working-day', '--basis', 'Order No. 7 of 01.04.2031', '--by', 'A. Operator'],
      { env },
    );
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

  test('a notice activity that fails after writing is retried by Temporal and leaves exactly one notice (R5)', async () => {
    const submission = sampleSubmission({ iin: sampleIin(909), submittedAt: IN_HOURS });
    const submitted = await http('POST', '/applications', submission);
    const { applicationId } = submitted.body;
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'under-review',
    );
    // Take the case over with a worker whose notice activity loses its answer once, after the commit.
    worker.shutdown();
    await workerRun;
    const real = createActivities({ store, signer });
    let failures = 0;
    const flaky = await createWorker({
      dataConverter,
      connection: nativeConnection,
      store,
      signer,
      taskQueue: TASK_QUEUE,
      options: {
        activities: {
          ...real,
          async issueNotice(args: Parameters<typeof real.issueNotice>[0]) {
            const issued = await real.issueNotice(args);
            if (failures++ === 0) throw new Error('connection lost after the notice was written');
            return issued;
          },
        },
      },
    });
    const flakyRun = flaky.run();
    try {
      await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' });
      await eventually(
        () => http('GET', `/applications/${applicationId}`),
        (r) => r.body.state === 'notified',
      );
    } finally {
      flaky.shutdown();
      await flakyRun;
      await startWorker();
    }
    expect(failures).toBe(2);
    expect(await store.notice.count({ where: { applicationId } })).toBe(2); // one per language
    expect(await store.outboxMessage.count({ where: { key: `notice:${applicationId}:acceptance` } })).toBe(1);
    const delivered = await eventually(
      () => store.receivedMessage.findUnique({ where: { key: `notice:${applicationId}:acceptance` } }),
      (m) => m !== null,
    );
    expect(delivered!.deliveries).toBe(1);
  });

  test('a complaint goes in through the API, gets its own workflow and clock, and bad complaints are refused (R13)', async () => {
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(1212), submittedAt: IN_HOURS }));
    const { applicationId } = submitted.body;
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'under-review',
    );
    await http('POST', `/applications/${applicationId}/decision`, {
      decision: 'refuse',
      grounds: [1],
      motivation: 'the diploma could not be verified',
      official: 'A. Head',
    });
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'notified',
    );

    const route = `/applications/${applicationId}/complaints`;
    expect((await http('POST', route, { addressee: 'minister', text: 'x' })).body.error).toMatchObject({ code: 'invalid-field', field: 'addressee' });
    expect((await http('POST', route, { addressee: 'provider', text: 'x', cc: 'press' })).body.error).toMatchObject({
      code: 'unknown-field',
      field: 'cc',
    });
    expect((await http('POST', route, { addressee: 'provider' })).body.error).toMatchObject({ code: 'missing-field', field: 'text' });
    expect((await http('POST', '/applications/00000000-0000-8000-8000-00000000beef/complaints', { addressee: 'provider', text: 'x' })).status).toBe(
      404,
    );

    const filed = await http('POST', route, { addressee: 'provider', text: 'The diploma is in the register.' });
    expect(filed.status).toBe(202);
    const { complaintId, registeredAt, dueAt, workflowId } = filed.body;
    expect(dueAt).toBe(new WorkingCalendar().deadline(new Date(registeredAt), 5).toISOString());
    const child = await client.workflow.getHandle(workflowId).describe();
    expect(child.type).toBe('complaintWorkflow');
    expect(child.parentExecution?.workflowId).toBe(workflowIdFor(applicationId));
    expect(child.typedSearchAttributes.get(ComplaintAddresseeKey)).toBe('provider');

    const shown = await eventually(
      () => http('GET', `/complaints/${complaintId}`),
      (r) => r.status === 200 && r.body.state !== 'received',
    );
    expect(shown.body).toMatchObject({ complaintId, applicationId, addressee: 'provider', registeredAt, dueAt, overdue: false });
    const application = await http('GET', `/applications/${applicationId}`);
    expect(application.body.state).toBe('contested');
    expect(application.body.complaints).toEqual([expect.objectContaining({ complaintId, addressee: 'provider', outcome: null })]);
    const twice = await http('POST', route, { addressee: 'provider', text: 'Again.' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'complaint-not-allowed', rule: 'R13' });
    expect(twice.body.error.message).toContain('already under review');
    expect(
      (await http('POST', `/complaints/${complaintId}/decision`, { outcome: 'maybe', motivation: 'm', official: 'o' })).body.error,
    ).toMatchObject({ field: 'outcome' });

    const decision = { outcome: 'rejected', motivation: 'The register has no such diploma.', official: 'B. Deputy' };
    if (shown.body.state === 'waiting-for-registration') {
      // Filed outside working hours (this test runs at any hour): no decision before registration (R7).
      const early = await http('POST', `/complaints/${complaintId}/decision`, decision);
      expect(early.status).toBe(409);
      expect(early.body.error.message).toMatch(/only while it is under review/);
    } else {
      expect((await http('POST', `/complaints/${complaintId}/decision`, decision)).status).toBe(200);
      const decided = await eventually(
        () => http('GET', `/complaints/${complaintId}`),
        (r) => r.body.state === 'decided',
      );
      expect(decided.body.documents.map((d: { kind: string; language: string }) => `${d.kind}/${d.language}`)).toEqual([
        'complaint-decision/kk',
        'complaint-decision/ru',
      ]);
      expect(decided.body.documents[1].body).toContain('жалоба оставлена без удовлетворения');
      await eventually(
        () => http('GET', `/applications/${applicationId}`),
        (r) => r.body.state === 'notified',
      );
      expect((await http('POST', `/complaints/${complaintId}/decision`, decision)).status).toBe(409);
    }
    await client.workflow.getHandle(workflowIdFor(applicationId)).terminate('test over');
  });

  test('the same submission twice with one Idempotency-Key (or X-Request-Id) starts one workflow and answers the same (issue 6)', async () => {
    const submission = sampleSubmission({ iin: sampleIin(1313), submittedAt: IN_HOURS });
    const before = await workflowCount();
    const first = await http('POST', '/applications', submission, undefined, { 'idempotency-key': 'portal-request-1313' });
    const again = await http('POST', '/applications', submission, undefined, { 'idempotency-key': 'portal-request-1313' });
    expect(first.status).toBe(202);
    expect(again).toEqual(first);
    expect(await workflowCount()).toBe(before + 1);
    // The key is the request's: another body under it is refused and starts nothing.
    const other = await http('POST', '/applications', { ...submission, iin: sampleIin(1314) }, undefined, {
      'idempotency-key': 'portal-request-1313',
    });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'idempotency-key-reused', field: 'Idempotency-Key' });
    expect(await store.application.count({ where: { iin: sampleIin(1314) } })).toBe(0);
    // Without a key the same body is a second application of the teacher for the year (R10).
    expect((await http('POST', '/applications', submission)).status).toBe(409);

    const viaRequestId = sampleSubmission({ iin: sampleIin(1315), submittedAt: IN_HOURS });
    const one = await http('POST', '/applications', viaRequestId, undefined, { 'x-request-id': 'platform-7f3a' });
    const two = await http('POST', '/applications', viaRequestId, undefined, { 'x-request-id': 'platform-7f3a' });
    expect([one.status, two.body]).toEqual([202, one.body]);
    expect(await workflowCount()).toBe(before + 2);
    expect((await http('POST', '/applications', viaRequestId, undefined, { 'idempotency-key': 'bad key with spaces' })).body.error).toMatchObject({
      field: 'Idempotency-Key',
    });

    // After the retention the answer is forgotten: the key is free again, and recent keys stay.
    await store.idempotentRequest.update({ where: { id: 'e2e:portal-request-1313' }, data: { createdAt: new Date(Date.now() - 31 * 86_400_000) } });
    expect(await expireIdempotentRequests(store, 30)).toBe(1);
    expect(await store.idempotentRequest.findUnique({ where: { id: 'e2e:platform-7f3a' } })).not.toBeNull();
  });

  test('personal data in Temporal is ciphertext; the codec server decodes it for an operator with the decode scope only (issue 6)', async () => {
    const submission = sampleSubmission({ iin: sampleIin(1414), submittedAt: IN_HOURS, fullName: 'Гульнара Сапарбекова' });
    const { workflowId } = (await http('POST', '/applications', submission)).body;
    await eventually(
      () => http('GET', `/applications/${workflowId.replace('application-', '')}`),
      (r) => r.body.state === 'under-review',
    );

    // The history as the server keeps it, read without the codec: no IIN, no name, no essay; every payload sealed.
    const raw = await client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
    const history = temporal.api.history.v1.History.create(raw.history!);
    const rawText = JSON.stringify(temporal.api.history.v1.History.toObject(history, { bytes: String }));
    for (const secret of [submission.iin, submission.fullName, submission.essay.slice(0, 40)]) {
      expect(rawText).not.toContain(secret);
      expect(rawText).not.toContain(Buffer.from(secret).toString('base64'));
    }
    const started = raw.history!.events![0].workflowExecutionStartedEventAttributes!;
    const sealed = started.input!.payloads![0];
    expect(Buffer.from(sealed.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(sealed.metadata!['encryption-key-id']!).toString()).toBe('e2e-1');
    const asUi = {
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(sealed.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
          data: Buffer.from(sealed.data!).toString('base64'),
        },
      ],
    };

    // The Temporal UI's request, as the UI makes it: an operator with the decode scope reads the application.
    const decoded = await http('POST', '/codec/decode', asUi, undefined, { 'x-namespace': 'default', origin: 'http://localhost:8233' });
    expect(decoded.status).toBe(200);
    const plain = JSON.parse(Buffer.from(decoded.body.payloads[0].data, 'base64').toString());
    expect(plain).toMatchObject({ iin: submission.iin, fullName: submission.fullName });
    // …and nobody else: no key, a key without the scope.
    expect((await http('POST', '/codec/decode', asUi, undefined, { authorization: '' })).status).toBe(401);
    expect((await http('POST', '/codec/decode', asUi, undefined, { authorization: `Bearer ${READ_ONLY_KEY}` })).status).toBe(403);

    // A browser signs in once; the UI's cross-origin call then carries the session cookie instead of a key.
    const preflight = await fetch(`${baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:8233', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    const signIn = await fetch(`${baseUrl}/codec/session`, { method: 'POST', headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    expect(signIn.status).toBe(204);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const viaCookie = await http('POST', '/codec/decode', asUi, undefined, { authorization: '', cookie, origin: 'http://localhost:8233' });
    expect(viaCookie.status).toBe(200);
    const forgedCookie = `${cookie.slice(0, -3)}xyz`;
    expect((await http('POST', '/codec/decode', asUi, undefined, { authorization: '', cookie: forgedCookie })).status).toBe(401);
    const readOnlySession = await fetch(`${baseUrl}/codec/session`, { method: 'POST', headers: { authorization: `Bearer ${READ_ONLY_KEY}` } });
    expect(readOnlySession.status).toBe(403);

    // A payload under a key this process does not hold is refused in words, not a crash.
    const stranger = await new EncryptionCodec({ current: 'other', keys: { other: randomBytes(32) } }).encode([
      { metadata: {}, data: Buffer.from('x') },
    ]);
    const unknownKey = await http('POST', '/codec/decode', {
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(stranger[0].metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
          data: Buffer.from(stranger[0].data!).toString('base64'),
        },
      ],
    });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.error.message).toContain('key other');
    await client.workflow.getHandle(workflowId).terminate('test over');
  });

  test('cli stuck lists forced stuck cases with the right reason in one poll, and drops them once resolved; cli case tells the story (issue 6)', async () => {
    const cliEnv = { env: { API_URL: baseUrl, API_KEY: TEST_API_KEY } };
    const failing = sampleSubmission({ iin: sampleIin(1515), submittedAt: IN_HOURS });
    gatewayDown.add(failing.iin);
    const retrying = (await http('POST', '/applications', failing)).body.applicationId as string;
    const late = (await http('POST', '/applications', sampleSubmission({ iin: sampleIin(1516), submittedAt: IN_HOURS }))).body
      .applicationId as string;
    await eventually(
      () => http('GET', `/applications/${late}`),
      (r) => r.body.state === 'under-review',
    );
    // Wait for the look-up's second attempt; each poll below is one `cli stuck`, a person's one look.
    await eventually(
      () => client.workflow.getHandle(workflowIdFor(retrying)).describe(),
      (d) => (d.raw.pendingActivities ?? []).some((a) => (a.attempt ?? 0) >= 2),
    );
    // A workflow whose own code fails on its input: the task is retried and the case cannot move.
    const broken = workflowIdFor('00000000-0000-8000-8000-0000000b0b0b');
    await client.workflow.start('applicationWorkflow', { taskQueue: TASK_QUEUE, workflowId: broken, args: [null] });
    await eventually(
      () => client.workflow.getHandle(broken).describe(),
      (d) => (d.raw.pendingWorkflowTask?.attempt ?? 0) >= 2,
    );
    const poll = async (...args: string[]) =>
      JSON.parse((await cliAsync(['stuck', '--json', '--retrying-longer-than', '1', ...args], cliEnv)).stdout).cases as Array<Record<string, string>>;
    await new Promise((r) => setTimeout(r, 1100)); // retrying for longer than the 1 s threshold
    const stuck = await poll();
    expect(stuck).toContainEqual(
      expect.objectContaining({
        reason: 'activity-retrying',
        applicationId: retrying,
        lastError: expect.stringContaining('gateway unavailable'),
        nextStep: expect.stringContaining('gateway'),
      }),
    );
    expect(stuck).toContainEqual(
      expect.objectContaining({
        reason: 'decision-overdue',
        applicationId: late,
        nextStep: expect.stringContaining(`/applications/${late}/decision`),
      }),
    );
    expect(stuck.filter((c) => c.workflowId === broken)).toEqual([
      expect.objectContaining({
        reason: 'workflow-task-failing',
        lastError: expect.stringMatching(/null/),
        nextStep: expect.stringContaining('fix the workflow code'),
      }),
    ]);
    // Cases refused by rule at the boundary (the R10 duplicate test's run) are not stuck.
    expect(stuck.filter((c) => c.reason === 'workflow-failed').map((c) => c.lastError)).not.toContainEqual(expect.stringContaining('R10'));
    const words = (await cliAsync(['stuck', '--retrying-longer-than', '1'], cliEnv)).stdout;
    expect(words).toContain(`ACTIVITY RETRYING  application ${retrying}`);
    expect(words).toContain(`DECISION OVERDUE  application ${late}`);

    const story = await cliAsync(['case', late], cliEnv);
    expect(story.stdout).toContain(`Application ${late}: under-review (OVERDUE)`);
    expect(story.stdout).toMatch(/Stages:\n.*under-review\n.*decision-overdue/);
    expect(JSON.parse((await cliAsync(['case', retrying, '--json'], cliEnv)).stdout).workflows[0].pendingActivities[0]).toMatchObject({
      activity: 'lookUpStateRecords',
      lastError: expect.stringContaining('gateway unavailable'),
    });
    expect((await cliAsync(['case', '00000000-0000-8000-8000-00000000dead'], cliEnv)).status).toBe(1);

    // Resolved: the gateway answers again, the provider decides, the broken run is ended by an operator.
    await client.workflow.getHandle(broken).terminate('support: input was not an application');
    gatewayDown.delete(failing.iin);
    await http('POST', `/applications/${late}/decision`, { decision: 'accept', official: 'A. Head' });
    await eventually(
      () => http('GET', `/applications/${retrying}`),
      (r) => r.body.state === 'under-review',
    );
    await eventually(
      () => http('GET', `/applications/${late}`),
      (r) => r.body.state === 'notified',
    );
    const after = await poll();
    expect(after.filter((c) => c.applicationId === retrying && c.reason === 'activity-retrying')).toEqual([]);
    expect(after.filter((c) => c.applicationId === late)).toEqual([]);
    expect(after.filter((c) => c.workflowId === broken && c.reason === 'workflow-task-failing')).toEqual([]);
  });

  test('the worker logs one JSON line per event with the case id and no personal data, and exports Prometheus metrics (issue 6)', async () => {
    const submission = sampleSubmission({ iin: sampleIin(1616), submittedAt: IN_HOURS, fullName: 'Ерлан Жаксылыков' });
    const { applicationId } = (await http('POST', '/applications', submission)).body;
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'under-review',
    );
    await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' });
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'notified',
    );

    const lines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    const ofCase = lines.filter((l) => l.caseId === applicationId);
    expect(ofCase.map((l) => l.msg)).toContain('decision overdue');
    expect(lines.some((l) => l.caseId && l.activityType === 'recordStage' && /Activity/.test(String(l.msg)))).toBe(
      lines.some((l) => l.activityType === 'recordStage'),
    );
    for (const l of ofCase)
      expect(l).toMatchObject({ time: expect.any(String), level: expect.any(String), workflowId: workflowIdFor(applicationId) });
    const everything = logLines.join('\n');
    for (const secret of [submission.iin, submission.fullName, VALID_IIN]) expect(everything).not.toContain(secret);

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/temporal_workflow_task_execution_latency/);
    expect(metrics).toMatch(/temporal_activity_execution_latency/);
    expect(metrics).toMatch(/attestation_applications_registered\S*\{[^}]*channel="platform"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/attestation_decisions_overdue\S*\{[^}]*provider_unit=/);
    expect(metrics).toMatch(/attestation_notices_issued\S*\{[^}]*kind="acceptance"[^}]*\} [1-9]/);
  });

  test('a complaint workflow ended by hand settles nothing: the case stops waiting for it and stays open for complaints (R13)', async () => {
    const { applicationId } = (await http('POST', '/applications', sampleSubmission({ iin: sampleIin(1717), submittedAt: IN_HOURS }))).body;
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'under-review',
    );
    await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' });
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'notified',
    );
    const filed = (await http('POST', `/applications/${applicationId}/complaints`, { addressee: 'quality-authority', text: 'Filed by mistake.' }))
      .body;
    await client.workflow.getHandle(filed.workflowId).terminate('filed by mistake (support)');
    const after = await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'notified',
    );
    expect(after.body.complaints).toEqual([expect.objectContaining({ complaintId: filed.complaintId, outcome: null, endedWithoutDecision: true })]);
    expect(after.body.preTrialCompletedAt).toBeNull(); // not the authority's decision: the stage goes on
    const again = await http('POST', `/applications/${applicationId}/complaints`, { addressee: 'quality-authority', text: 'The real complaint.' });
    expect(again.status).toBe(202);
    await client.workflow.getHandle(workflowIdFor(applicationId)).terminate('test over');
  });
});
