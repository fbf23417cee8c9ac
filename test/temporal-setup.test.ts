/**
 * Any Temporal server is set up by the service (issue 18): against a real dev server (or, in `npm run
 * test:cluster`, a cluster) that knows none of our search attributes and not our namespace, the API answers 503 naming the cause (never 500) and /healthz says
 * what is missing; `cli setup` registers the namespace and every attribute, once; then a submission starts.
 */
import { Client, Connection } from '@temporalio/client';
import { msToTs, optionalTsToMs } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { createRetentionActivities } from '../activities/retention';
import { retentionPolicyFromEnvironment } from '../infra/retention-policy';
import { RETENTION_SCHEDULE_ID } from '../infra/retention-schedule';
import { TASK_QUEUE } from '../infra/task-queue';
import { workflowCode } from '../worker/workflow-code';
import type { FastifyInstance } from 'fastify';
import { parseApiKeys } from '../client/api/auth';
import { buildApi } from '../client/api/server';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { ensureTemporalSetup, missingSearchAttributes } from '../infra/temporal-setup';
import { sampleIin, sampleSubmission } from './helpers/applications';
import { academicYearOf, lastWorkingMoment, machineNow } from './helpers/clock';
import { cli, cliAsync } from './helpers/cli';
import { PATIENCE_MS, TEST_API_KEY } from './helpers/http';
import { startTestDatabase, type TestDatabase } from './helpers/service';
import { startTestTemporal, type TestTemporal } from './helpers/temporal';

let database: TestDatabase;
let server: TestTemporal;
let connection: Connection;

beforeAll(async () => {
  database = await startTestDatabase('attestation-setup-');
  // A server as a cluster of one's own comes: the default namespace only, none of our search attributes.
  server = await startTestTemporal(database.dataDir, database.db.url, { searchAttributes: [] });
  connection = await Connection.connect({ address: server.address });
}, 180_000);

afterAll(async () => {
  await connection?.close();
  await server?.stop();
  await database?.stop();
});

function apiOn(namespace: string): FastifyInstance {
  return buildApi({
    client: new Client({ connection, namespace }),
    store: database.store,
    taskQueue: 'setup',
    identitySecret: 'setup',
    apiKeys: parseApiKeys(JSON.stringify([{ client: 'e2e', key: TEST_API_KEY, scopes: ['submit', 'read'], role: 'administrator' }])),
  });
}

const headers = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
let serial = 0;
function submission() {
  const submittedAt = lastWorkingMoment(machineNow()).toISOString();
  return JSON.stringify(sampleSubmission({ iin: sampleIin(70_000 + serial++), submittedAt, academicYear: academicYearOf(submittedAt) }));
}

test('without its search attributes, a submission is 503 naming the missing attribute, /healthz names them, and nothing is left behind', async () => {
  const api = apiOn('default');
  try {
    const refused = await api.inject({ method: 'POST', url: '/applications', headers, payload: submission() });
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error).toEqual({
      code: 'unavailable',
      field: null,
      rule: null,
      message: expect.stringMatching(/^Temporal is not set up for this service: .*search attribute.*cli -- setup/),
    });
    expect(await database.store.application.count()).toBe(0);
    const health = await api.inject({ method: 'GET', url: '/healthz', headers });
    expect(health.statusCode).toBe(503);
    expect(health.json().checks.searchAttributes).toBe(`missing: ${SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')} (run cli setup)`);
  } finally {
    await api.close();
  }
});

test('on a namespace the server lacks, 503 names it; cli setup creates it with every attribute, once; then a submission starts', async () => {
  const api = apiOn('ministry');
  try {
    const refused = await api.inject({ method: 'POST', url: '/applications', headers, payload: submission() });
    expect([refused.statusCode, refused.json().error.code]).toEqual([503, 'unavailable']);
    expect(refused.json().error.message).toMatch(/namespace/i);

    const env = { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'ministry' };
    const first = cli(['setup'], { env });
    expect(first.stdout).toContain(`namespace ministry on ${server.address}: created`);
    expect(first.stdout).toContain(`search attributes registered: ${SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')}`);
    expect(await missingSearchAttributes(connection, 'ministry')).toEqual([]);
    const again = cli(['setup'], { env });
    expect(again.stdout).toContain('namespace ministry on');
    expect(again.stdout).toContain(': present');
    expect(again.stdout).toContain('search attributes: all present');

    const started = await api.inject({ method: 'POST', url: '/applications', headers, payload: submission() });
    expect(started.statusCode).toBe(202);
    const health = await api.inject({ method: 'GET', url: '/healthz', headers });
    expect(health.json().checks).toMatchObject({ temporal: 'ok', searchAttributes: 'ok', worker: 'no worker polls setup' });
  } finally {
    await api.close();
  }
}, 120_000);

test(
  'setting up a server that has everything changes nothing',
  async () => {
    const first = await ensureTemporalSetup(connection, 'region');
    expect(first).toEqual({ namespaceCreated: true, registered: SEARCH_ATTRIBUTES.map((k) => k.name) });
    expect(await ensureTemporalSetup(connection, 'region')).toEqual({ namespaceCreated: false, registered: [] });
  },
  2 * PATIENCE_MS,
);

test(
  'the nightly retention (issue 36): cli setup creates its schedule once, at 02:30 in Almaty, and keeps closed histories as the policy says; `cli retention run` runs it on a worker and prints what it did',
  async () => {
    const env = { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'archive', DATABASE_URL: database.db.url };
    expect(cli(['setup'], { env }).stdout).toContain(`nightly retention schedule (${RETENTION_SCHEDULE_ID}): created`);
    const client = new Client({ connection, namespace: 'archive' });
    const schedule = await client.schedule.getHandle(RETENTION_SCHEDULE_ID).describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionWorkflow' });
    expect(schedule.spec.timezone).toBe('Asia/Almaty');
    expect(DateTime.fromJSDate(schedule.info.nextActionTimes[0]).setZone('Asia/Almaty').toFormat('HH:mm')).toBe('02:30');
    const retentionOf = async () =>
      optionalTsToMs((await connection.workflowService.describeNamespace({ namespace: 'archive' })).config?.workflowExecutionRetentionTtl);
    expect(await retentionOf()).toBe(30 * 86_400_000);

    // An operator shortened the histories' retention by hand: the next setup restores the policy's, and keeps the schedule.
    await connection.workflowService.updateNamespace({ namespace: 'archive', config: { workflowExecutionRetentionTtl: msToTs('1 day') } });
    const again = cli(['setup'], { env }).stdout;
    expect(again).toContain('closed histories kept: set to 30 days now');
    expect(again).toContain(`nightly retention schedule (${RETENTION_SCHEDULE_ID}): present`);
    expect(await retentionOf()).toBe(30 * 86_400_000);

    // A run now, on a worker of the service's task queue: a replay answer past its 30 days goes, a recent one stays.
    const { store } = database;
    await store.idempotentRequest.createMany({
      data: [
        { id: 'archive:old', client: 'archive', requestHash: 'h', createdAt: new Date(Date.now() - 31 * 86_400_000) },
        { id: 'archive:new', client: 'archive', requestHash: 'h' },
      ],
    });
    const native = await NativeConnection.connect({ address: server.address });
    const worker = await Worker.create({
      connection: native,
      namespace: 'archive',
      taskQueue: TASK_QUEUE,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: workflowCode.workflowsPath, ...workflowCode.bundlerOptions }),
      activities: createRetentionActivities({ store, policy: retentionPolicyFromEnvironment() }),
    });
    const run = await worker.runUntil(cliAsync(['retention', 'run'], { env })).finally(() => native.close());
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/idempotency-record +1 deleted/);
    expect(run.stdout).toMatch(/case-record +0 anonymised/);
    expect((await store.idempotentRequest.findMany({ where: { client: 'archive' } })).map((r) => r.id)).toEqual(['archive:new']);

    const shown = (await cliAsync(['retention'], { env })).stdout;
    if (process.env.SHOW_CLI) console.log(run.stdout + shown);
    expect(shown).toMatch(/document: the signed documents in the personal cabinet\n +deleted 5 years after the case closed/);
    expect(shown).toContain('basis: Law of the Republic of Kazakhstan No. 94-V');
    expect(shown).toMatch(/Schedule case-retention: active; next run .*02:30/);
    expect(shown).toMatch(/run of .*: COMPLETED\n +essay +0 anonymised/);
  },
  2 * PATIENCE_MS,
);
