/**
 * Operating the real stack: the operators' calendar through the CLI, retried activities that write once, idempotent requests, encrypted payloads and the codec server, the stuck-case inspector, and the worker's logs and metrics.
 * The stack is test/helpers/dev-stack.ts.
 */
import { randomBytes } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { EncryptionCodec } from '../infra/payload-codec';
import { workflowIdFor } from '../infra/identity';
import { ApplicationStateKey } from '../domain/search-attributes';
import { createActivities, failingPermanentlyWhenNoRetryCanHelp } from '../activities';
import type { ApplicationInput } from '../domain/application';
import { applyRetentionBatch } from '../infra/case-store/retention';
import { findStuckCases } from '../client/inspector';
import { cli, cliAsync } from './helpers/cli';
import { sampleIin, sampleSubmission } from './helpers/applications';
import { TEST_API_KEY, eventually } from './helpers/http';
import { inHours, READ_ONLY_KEY, startDevStack, type DevStack } from './helpers/dev-stack';
import { startPrometheus } from './helpers/prometheus';

/** A working morning a few working days back: registered at once, its decision already owed (test/helpers/dev-stack.ts). */
const IN_HOURS = inHours();

let stack: DevStack;
let store: DevStack['store'];
let client: DevStack['client'];
let http: DevStack['http'];
let baseUrl: DevStack['baseUrl'];
let db: DevStack['db'];
let signers: DevStack['signers'];
let gatewayDown: DevStack['gatewayDown'];
let logLines: DevStack['logLines'];
let metricsPort: DevStack['metricsPort'];
const VALID_IIN = sampleIin(1);

beforeAll(async () => {
  stack = await startDevStack('operations', { telemetry: true });
  ({ store, client, http, baseUrl, db, signers, gatewayDown, logLines, metricsPort } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('operations end to end (real Temporal dev server and PostgreSQL)', () => {
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

  test('a result activity that fails after writing is retried by Temporal and leaves exactly one notice (R5)', async () => {
    const submission = sampleSubmission({ iin: sampleIin(909), submittedAt: IN_HOURS });
    const submitted = await http('POST', '/applications', submission);
    const { applicationId } = submitted.body;
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'under-review',
    );
    // Take the case over with a worker whose result activity (the decision and its notice) loses its answer once, after the commit.
    const real = createActivities({ store, signers });
    let failures = 0;
    await stack.restartWorker({
      ...real,
      async issueResult(args: Parameters<typeof real.issueResult>[0]) {
        const issued = await real.issueResult(args);
        if (failures++ === 0) throw new Error('connection lost after the notice was written');
        return issued;
      },
    });
    try {
      await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' });
      await eventually(
        () => http('GET', `/applications/${applicationId}`),
        (r) => r.body.state === 'notified',
      );
    } finally {
      await stack.restartWorker();
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

  test('the same submission twice with one Idempotency-Key (or X-Request-Id) starts one workflow and answers the same (issue 6)', async () => {
    const submission = sampleSubmission({ iin: sampleIin(1313), submittedAt: IN_HOURS });
    // Temporal's visibility lags behind a start (on a cluster most): the count is read once it has caught up with
    // what the requests should have started, and a start too many shows as one more.
    const countOnceVisible = (expected: number) =>
      eventually(
        () => stack.workflowCount(),
        (count) => count >= expected,
      );
    const before = await stack.workflowCount();
    const first = await http('POST', '/applications', submission, undefined, { 'idempotency-key': 'portal-request-1313' });
    const again = await http('POST', '/applications', submission, undefined, { 'idempotency-key': 'portal-request-1313' });
    expect(first.status).toBe(202);
    expect(again).toEqual(first);
    expect(await countOnceVisible(before + 1)).toBe(before + 1);
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
    // the same request with its members in another order is the same request (issue 32)
    const reordered = Object.fromEntries(Object.entries(viaRequestId).reverse());
    const two = await http('POST', '/applications', reordered, undefined, { 'x-request-id': 'platform-7f3a' });
    expect([one.status, two.body]).toEqual([202, one.body]);
    expect(await countOnceVisible(before + 2)).toBe(before + 2);
    expect((await http('POST', '/applications', viaRequestId, undefined, { 'idempotency-key': 'bad key with spaces' })).body.error).toMatchObject({
      field: 'Idempotency-Key',
    });

    // A claim its process never settled (it died mid-request) holds the key for minutes, not for the retention.
    const stranded = sampleSubmission({ iin: sampleIin(1316), submittedAt: IN_HOURS });
    await store.idempotentRequest.create({ data: { id: 'e2e:stranded-1316', client: 'e2e', requestHash: 'a request that never ended' } });
    expect((await http('POST', '/applications', stranded, undefined, { 'idempotency-key': 'stranded-1316' })).body.error).toMatchObject({
      code: 'idempotency-key-reused',
    });
    await store.idempotentRequest.update({ where: { id: 'e2e:stranded-1316' }, data: { createdAt: new Date(Date.now() - 6 * 60_000) } });
    expect((await http('POST', '/applications', stranded, undefined, { 'idempotency-key': 'stranded-1316' })).status).toBe(202);

    // After the retention the answer is forgotten: the key is free again, and recent keys stay.
    await store.idempotentRequest.update({ where: { id: 'e2e:portal-request-1313' }, data: { createdAt: new Date(Date.now() - 31 * 86_400_000) } });
    const asOf = new Date();
    expect(
      await applyRetentionBatch(store, { kind: 'idempotency-record', cutoff: new Date(asOf.getTime() - 30 * 86_400_000), asOf, limit: 100 }),
    ).toBe(1);
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

  /** Submits an application whose workflow is to fail, and answers its ids and the failure (null if it did not fail). */
  async function submittedAndFailed(submission: object) {
    const { workflowId, applicationId } = (await http('POST', '/applications', submission)).body as { workflowId: string; applicationId: string };
    const failed = await client.workflow
      .getHandle(workflowId)
      .result()
      .then(
        () => null,
        (e: Error) => e,
      );
    return { workflowId, applicationId, failed };
  }

  test('data the database refuses fails its activity once, not forever, and support is told what to do (issue 13)', async () => {
    // A NUL character in a name, as a case admitted before the API refused it could hold: PostgreSQL refuses it
    // (SQLSTATE 22021) and no retry can cure it. The worker's real activity is handed that name.
    const real = createActivities({ store, signers });
    await stack.restartWorker({
      ...real,
      recordApplication: (input, view) => real.recordApplication({ ...input, fullName: 'Ерлан\u0000Жаксылыков' }, view),
    });
    const submission = sampleSubmission({ iin: sampleIin(1818), submittedAt: IN_HOURS });
    const { workflowId, applicationId, failed } = await submittedAndFailed(submission);
    expect((failed?.cause as Error | undefined)?.cause).toMatchObject({
      type: 'PermanentActivityFailure',
      message: expect.stringContaining('SQLSTATE 22021'),
    });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
    expect(attempts).toEqual([1]); // recordApplication, tried once
    expect(await store.application.count({ where: { id: applicationId } })).toBe(0); // nothing half-written
    const { body } = await http('GET', '/support/stuck');
    expect(body.cases).toContainEqual(
      expect.objectContaining({
        reason: 'workflow-failed',
        applicationId,
        detail: expect.stringContaining('no retry can cure'),
        nextStep: expect.stringMatching(/^the data is what fails, not a dependency/),
      }),
    );
    await stack.restartWorker();
  });

  test('a store failure that prints an IIN and a name leaves neither in the history, the stuck listing or the logs (issue 32)', async () => {
    // A real Prisma validation error: Prisma prints the request it refuses, with the teacher's IIN and name.
    const real = createActivities({ store, signers });
    await stack.restartWorker({
      ...real,
      // as every activity is: behind the door that turns a failure into codes (activities/index.ts)
      ...failingPermanentlyWhenNoRetryCanHelp({
        recordApplication: async (input: ApplicationInput) => {
          await store.application.create({ data: { id: input.applicationId, iin: input.iin, fullName: input.fullName, category: 42 } as never });
        },
      }),
    });
    try {
      await storeFailureLeavesNoPersonalData();
    } finally {
      await stack.restartWorker();
    }
  });

  async function storeFailureLeavesNoPersonalData() {
    const submission = sampleSubmission({ iin: sampleIin(3232), submittedAt: IN_HOURS, fullName: 'Айгерим Нурланкызы' });
    const { workflowId, applicationId, failed } = await submittedAndFailed(submission);
    // The workflow's client, holding the keys, reads the reason: codes, no values.
    expect((failed?.cause as Error | undefined)?.cause).toMatchObject({
      type: 'PermanentActivityFailure',
      message: 'the store refuses the request as malformed: PrismaClientValidationError',
    });

    const secrets = [submission.iin, submission.fullName];
    const absent = (text: string) => {
      for (const secret of secrets) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(Buffer.from(secret).toString('base64'));
      }
    };
    // 1. The history as the server keeps it: every failure's message sealed with the payload keys.
    const raw = await client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
    const rawText = JSON.stringify(temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.create(raw.history!), { bytes: String }));
    absent(rawText);
    expect(rawText).toContain('Encoded failure');
    expect(rawText).not.toContain('PrismaClientValidationError');
    // 2. The stuck listing, for support: the reason decoded, still without the values.
    const stuck = await http('GET', '/support/stuck');
    absent(JSON.stringify(stuck.body));
    expect(stuck.body.cases).toContainEqual(
      expect.objectContaining({
        applicationId,
        reason: 'workflow-failed',
        lastError: 'the store refuses the request as malformed: PrismaClientValidationError',
      }),
    );
    // 3. The worker's log, once it has told of the failed activity.
    await eventually(
      async () => logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.caseId === applicationId),
      (lines) => lines.some((l) => l.activityType === 'recordApplication' && /Activity/.test(String(l.msg))),
    );
    absent(logLines.join('\n'));
  }

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
    // Wait until the look-up's second attempt has run and failed (the third is pending): the worker records an
    // activity when its second attempt starts, which is the back-off (2 s) after the first failed, not when the
    // server first shows attempt 2 pending. Each poll below is one `cli stuck`, a person's one look.
    await eventually(
      () => client.workflow.getHandle(workflowIdFor(retrying)).describe(),
      (d) => (d.raw.pendingActivities ?? []).some((a) => (a.attempt ?? 0) >= 3),
    );
    // A workflow whose own code fails on its input: the task is retried and the case cannot move.
    const broken = workflowIdFor('00000000-0000-8000-8000-0000000b0b0b');
    await client.workflow.start('applicationWorkflow', { taskQueue: stack.taskQueue, workflowId: broken, args: [null] });
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
    // The worker recorded both troubles (worker/trouble.ts); the look-up that succeeded removed its own row.
    expect(await store.workflowTrouble.count({ where: { workflowId: workflowIdFor(retrying) } })).toBe(0);
    expect(await store.workflowTrouble.findMany({ where: { workflowId: broken } })).toEqual([
      expect.objectContaining({ part: 'workflow-task', what: 'applicationWorkflow', lastError: expect.stringMatching(/null/) }),
    ]);
    const after = await poll();
    // …and the listing removed the row of the run an operator ended.
    expect(await store.workflowTrouble.count({ where: { workflowId: broken } })).toBe(0);
    expect(after.filter((c) => c.applicationId === retrying && c.reason === 'activity-retrying')).toEqual([]);
    expect(after.filter((c) => c.applicationId === late)).toEqual([]);
    expect(after.filter((c) => c.workflowId === broken && c.reason === 'workflow-task-failing')).toEqual([]);
  });

  test('a case the store holds open whose workflow ended, and a store row that disagrees with a quiet workflow, are state mismatches (issue 17)', async () => {
    const ended = (await http('POST', '/applications', sampleSubmission({ iin: sampleIin(1717), submittedAt: IN_HOURS }))).body
      .applicationId as string;
    const disagreeing = (await http('POST', '/applications', sampleSubmission({ iin: sampleIin(1718), submittedAt: IN_HOURS }))).body
      .applicationId as string;
    for (const id of [ended, disagreeing]) {
      await eventually(
        () => http('GET', `/applications/${id}`),
        (r) => r.body.state === 'under-review',
      );
    }
    // The audit reads visibility and asks for a quiet workflow: on a cluster both lag the case store by moments
    // (visibility is written by the history service's queue; the activity that wrote the row reports after).
    await eventually(
      () => client.workflow.getHandle(workflowIdFor(disagreeing)).describe(),
      (d) => d.typedSearchAttributes.get(ApplicationStateKey) === 'under-review' && (d.raw.pendingActivities ?? []).length === 0,
    );
    await client.workflow.getHandle(workflowIdFor(ended)).terminate('support: ended by mistake (test)');
    await eventually(
      () => client.workflow.count(`WorkflowId = '${workflowIdFor(ended)}' AND ExecutionStatus = 'Terminated'`),
      (c) => c.count === 1,
    );
    await eventually(
      () => client.workflow.count(`WorkflowId = '${workflowIdFor(disagreeing)}' AND ApplicationState = 'under-review'`),
      (c) => c.count === 1,
    );
    await store.application.update({ where: { id: disagreeing }, data: { state: 'notified' } }); // a defect's trace
    // Two minutes on: past the minute a write on its way may take.
    const later = new Date(Date.now() + 120_000);
    const { cases } = await findStuckCases(client, store, { now: () => later, pageSize: 200, auditStates: true });
    expect(cases.filter((c) => c.reason === 'state-mismatch' && c.applicationId === ended)).toEqual([
      expect.objectContaining({ detail: 'the case store says under-review, but its workflow is terminated: nothing will move this case' }),
    ]);
    expect(cases.filter((c) => c.reason === 'state-mismatch' && c.applicationId === disagreeing)).toEqual([
      expect.objectContaining({ detail: 'the workflow is under-review but the case store says notified, and nothing is on its way to correct it' }),
    ]);
    // Without the audit, the listing does not read every open case: the ended one is found, the disagreeing one not.
    const unaudited = (await findStuckCases(client, store, { now: () => later, pageSize: 200 })).cases.filter((c) => c.reason === 'state-mismatch');
    expect(unaudited.map((c) => c.applicationId)).toContain(ended);
    expect(unaudited.map((c) => c.applicationId)).not.toContain(disagreeing);
    // Not yet a minute on: the listing waits for writes on their way.
    const now = (await findStuckCases(client, store, { pageSize: 200, auditStates: true })).cases;
    expect(now.filter((c) => c.reason === 'state-mismatch' && [ended, disagreeing].includes(c.applicationId!))).toEqual([]);
    await store.application.update({ where: { id: disagreeing }, data: { state: 'under-review' } });
  });

  test('the worker logs one JSON line per event with the case id and no personal data, and exports Prometheus metrics (issue 6)', async () => {
    const submission = sampleSubmission({ iin: sampleIin(1616), submittedAt: IN_HOURS, fullName: 'Ерлан Жаксылыков' });
    // The gateway fails this case's first look-up: the SDK logs the failed activity (at warn), which must name the case.
    stack.gatewayDown.add(submission.iin);
    setTimeout(() => stack.gatewayDown.delete(submission.iin), 1_000);
    const applicationId = await stack.delivered(submission);

    // A workflow's log lines reach the worker's log after its activation, on their own way: waited for, not assumed.
    const lines = () => logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const ofCase = await eventually(
      async () => lines().filter((l) => l.caseId === applicationId),
      (found) => found.some((l) => l.msg === 'decision overdue'),
    );
    expect(ofCase.map((l) => l.msg)).toContain('decision overdue');
    // The activities' lines carry the case id too: the failed look-up's among them.
    expect(ofCase.some((l) => l.activityType === 'lookUpStateRecords' && /Activity/.test(String(l.msg)))).toBe(true);
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

  test("a real Prometheus scraping the worker with the shipped rules fires the overdue decision's alert for its unit, naming its runbook entry (issue 36)", async () => {
    const prometheus = await startPrometheus(stack.dataDir, { 'attestation-worker': [`127.0.0.1:${metricsPort}`] });
    try {
      // Registered a few working days back: its decision is owed past its term at once (R3), and still owed.
      const submission = sampleSubmission({
        iin: sampleIin(1617),
        submittedAt: IN_HOURS,
        providerUnit: 'almaty-bostandyk-district-education-department',
      });
      const { applicationId } = (await http('POST', '/applications', submission)).body as { applicationId: string };
      await eventually(
        () => http('GET', `/applications/${applicationId}`),
        (r) => r.body.state === 'under-review' && r.body.overdue === true,
      );
      const firing = await eventually(
        () => prometheus.alerts(),
        (alerts) => alerts.some((a) => a.labels.alertname === 'AttestationDecisionsOverdue' && a.labels.provider_unit === submission.providerUnit),
        90_000,
      );
      const alert = firing.find((a) => a.labels.alertname === 'AttestationDecisionsOverdue' && a.labels.provider_unit === submission.providerUnit)!;
      expect(alert).toMatchObject({
        state: 'firing',
        labels: { severity: 'ticket' },
        annotations: {
          summary: expect.stringMatching(new RegExp(`^[1-9][0-9]* decision\\(s\\) owed past their term at ${submission.providerUnit}$`)),
          runbook: 'docs/runbook.md#attestationdecisionsoverdue',
        },
      });
      // The worker is up and polling: nothing pages about it; every rule evaluates against the real series.
      expect(firing.map((a) => a.labels.alertname)).not.toContain('AttestationWorkerDown');
      expect(firing.map((a) => a.labels.alertname)).not.toContain('AttestationNoWorkflowPollers');
      const health = await eventually(
        () => prometheus.ruleHealth(),
        (rules) => rules.length > 0 && rules.every((r) => r.health !== 'unknown'),
        30_000,
      );
      expect(health.filter((r) => r.health !== 'ok')).toEqual([]);
      expect(health).toHaveLength(16);
    } finally {
      await prometheus.stop();
    }
  });
});
