/**
 * An application's way on the real stack: submission, registration (R7), the decision (R3, R9), the signed result (R5), the one-per-year guard (R10), withdrawal, and the worker restarting under a case.
 * The stack is test/helpers/dev-stack.ts.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { workflowIdFor } from '../infra/identity';
import { opensslRefuses } from './helpers/openssl';
import { formatInstant } from '../domain/calendar';
import { DateTime } from 'luxon';
import { essayOf, sampleIin, sampleSubmission } from './helpers/applications';
import {
  academicYearOf,
  at,
  complaintPeriodEnd,
  isWorkingDay,
  lastDateBefore,
  registrationMoment,
  serviceDue,
  workingDayBack,
} from './helpers/clock';
import { eventually } from './helpers/http';
import { inHours, startDevStack, type DevStack } from './helpers/dev-stack';

/** A working morning a few working days back: registered at once, its decision already owed (test/helpers/dev-stack.ts). */
const IN_HOURS = inHours();

let stack: DevStack;
let store: DevStack['store'];
let client: DevStack['client'];
let http: DevStack['http'];
let baseUrl: DevStack['baseUrl'];
const VALID_IIN = sampleIin(1);
const BAD_IIN = `${VALID_IIN.slice(0, 11)}${(Number(VALID_IIN[11]) + 1) % 10}`;

beforeAll(async () => {
  stack = await startDevStack('applications');
  ({ store, client, http, baseUrl } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('applications end to end (real Temporal dev server and PostgreSQL)', () => {
  test('answers /healthz when the worker, Temporal and the database are reachable', async () => {
    const health = await eventually(
      () => http('GET', '/healthz'),
      (r) => r.status === 200,
    );
    expect(health.body).toEqual({
      status: 'ok',
      checks: { database: 'ok', temporal: 'ok', worker: 'ok', searchAttributes: 'ok' },
      outbox: { pending: expect.any(Number), dead: 0 },
    });
    // A stranger learns up or down, not what the service runs on.
    const stranger = await fetch(`${baseUrl}/healthz`);
    expect([stranger.status, await stranger.json()]).toEqual([200, { status: 'ok' }]);
  });

  test('/healthz answers strangers from a short cache: a stream of probes reaches the database at most once; a reader is answered fresh (issue 32)', async () => {
    const asked = jest.spyOn(store, '$queryRawUnsafe');
    try {
      const probes = await Promise.all(Array.from({ length: 20 }, () => fetch(`${baseUrl}/healthz`).then((r) => r.status)));
      for (let i = 0; i < 5; i++) probes.push((await fetch(`${baseUrl}/healthz`)).status);
      expect(probes).toEqual(Array(25).fill(200));
      // (at most once: the test before may have left an answer of a moment ago)
      const checked = () => asked.mock.calls.filter(([sql]) => sql === 'SELECT 1').length;
      const byStrangers = checked();
      expect(byStrangers).toBeLessThanOrEqual(1);
      expect((await http('GET', '/healthz')).body.checks).toEqual({ database: 'ok', temporal: 'ok', worker: 'ok', searchAttributes: 'ok' });
      expect(checked()).toBe(byStrangers + 1);
    } finally {
      asked.mockRestore();
    }
  });

  test.each([
    ['bad JSON', undefined, '{"iin": ', 400, null],
    ['a missing field', { ...sampleSubmission({ submittedAt: IN_HOURS }), iin: undefined }, undefined, 400, 'iin'],
    ['an unknown field', { ...sampleSubmission({ submittedAt: IN_HOURS }), salary: 1 }, undefined, 400, 'salary'],
    ['an unknown category', sampleSubmission({ submittedAt: IN_HOURS, category: 'principal' as never }), undefined, 400, 'category'],
    ['a bad IIN check digit', sampleSubmission({ submittedAt: IN_HOURS, iin: BAD_IIN }), undefined, 400, 'iin'],
    [
      'the wrong channel for the category (R2)',
      sampleSubmission({ submittedAt: IN_HOURS, category: 'master', channel: 'platform' }),
      undefined,
      422,
      'channel',
    ],
    [
      'a submission outside the campaign window (R10)',
      sampleSubmission({ academicYear: academicYearOf(new Date(Date.parse(IN_HOURS) - 365 * 86_400_000)), submittedAt: IN_HOURS }),
      undefined,
      422,
      'submittedAt',
    ],
    ['a submission dated ahead of the clock', sampleSubmission({ submittedAt: '2099-06-15T10:00:00+05:00' }), undefined, 400, 'submittedAt'],
  ])('refuses %s naming the field, and starts nothing', async (_name, body, raw, status, field) => {
    const before = await stack.workflowCount();
    const response = await http('POST', '/applications', body, raw);
    expect(response.status).toBe(status);
    expect(response.body.error.field).toBe(field);
    expect(response.body.error.message).toEqual(expect.any(String));
    expect(await stack.workflowCount()).toBe(before);
    expect(await store.application.count({ where: { iin: BAD_IIN } })).toBe(0);
  });

  test('an application travels from submission to the acceptance notice, every stage reported to monitoring once (R7, R3, R5, R12)', async () => {
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
    expect(review.body.decisionDueAt).toBe(serviceDue(new Date(IN_HOURS)).toISOString()); // R3 in working time, published calendar

    const decided = await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' });
    expect(decided.status).toBe(200);
    expect(decided.body.state).toBe('accepted');

    // R13: the case stays open for complaints once its result is delivered.
    const done = await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'notified' && r.body.notices.length > 0,
    );
    // R13, APPK art. 92 §1: three months from the delivery (the notice's signing, a moment before the case learns it)
    expect(done.body.complaintPeriodEndsAt).toBe(complaintPeriodEnd(new Date(done.body.notices[0].createdAt)).toISOString());
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
    // Verified with OpenSSL, independently of our code: the published certificate, and a changed byte refused.
    for (const d of documents) {
      expect(opensslRefuses(d.body, d.signature.value, certificate)).toBe(false);
      expect(opensslRefuses(`${d.body} `, d.signature.value, certificate)).toBe(true);
    }
    // issue 31: each document names the applicant's IIN, for her to read; nothing else of the answer carries it
    for (const d of documents) expect(d.body).toContain(submission.iin);
    const withoutBodies = cabinet.body.applications.map((a: { documents: object[] }) => ({
      ...a,
      documents: a.documents.map((d) => ({ ...d, body: null })),
    }));
    expect(JSON.stringify(withoutBodies)).not.toContain(submission.iin);

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
      taskQueue: stack.taskQueue,
      workflowId: 'application-00000000-0000-8000-8000-0000000000ff',
      args: [{ ...submission, applicationId: '00000000-0000-8000-8000-0000000000ff' }],
    });
    const failure = await handle.result().then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.cause).toMatchObject({ type: 'DuplicateApplication', nonRetryable: true });
    expect(await store.application.count({ where: { iin: submission.iin } })).toBe(1);
  });

  test('a teacher refused automatically applies again the same year, and so does one who withdrew; two at once start one case (R10)', async () => {
    const application = (id: string) => () => http('GET', `/applications/${id}`);
    const refused = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(1212), submittedAt: IN_HOURS, essay: essayOf(301) }));
    const refusal = await eventually(application(refused.body.applicationId), (r) => r.body.state === 'notified' && r.body.notices.length === 2);
    const ru = refusal.body.notices.find((n: { language: string }) => n.language === 'ru').body as string;
    expect(ru).toContain('эссе содержит 301 слово');
    expect(ru).toContain('Услугополучатель: Айгуль Сериккызы Нурланова');
    const again = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(1212), submittedAt: IN_HOURS }));
    expect(again.status).toBe(202);
    expect(again.body.applicationId).not.toBe(refused.body.applicationId);
    await eventually(application(again.body.applicationId), (r) => r.body.state === 'under-review');
    expect((await http('POST', `/applications/${again.body.applicationId}/withdrawal`, {})).status).toBe(200);
    const racing = await Promise.all(
      [1, 2].map(() => http('POST', '/applications', sampleSubmission({ iin: sampleIin(1212), submittedAt: IN_HOURS, category: 'expert' }))),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([202, 409]);
    const third = racing.find((r) => r.status === 202)!.body.applicationId as string;
    // The workflow answers under-review a moment before its stage activity writes the row: wait for the row.
    const rows = await eventually(
      () => store.application.findMany({ where: { iin: sampleIin(1212) }, orderBy: { createdAt: 'asc' } }),
      (found) => found.at(-1)?.state === 'under-review',
    );
    expect(rows.map((r) => [r.id, r.state, r.holdsYear])).toEqual([
      [refused.body.applicationId, 'notified', null],
      [again.body.applicationId, 'withdrawn', null],
      [third, 'under-review', true],
    ]);
  });

  test("an overdue case takes a complaint against the provider's inaction; upheld, the decision is due at once (R13)", async () => {
    // Submitted a fortnight ago and relayed only now: registered late, its one working day long over (R3).
    const submittedAt = at(workingDayBack(3), 10).toISOString();
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(1313), submittedAt }));
    const id = submitted.body.applicationId as string;
    await eventually(
      () => http('GET', `/applications/${id}`),
      (r) => r.body.state === 'under-review' && r.body.overdue === true,
    );
    // Filed on a working morning after the term ran out (published calendar): registered at once (R7). Without a
    // subject: with no result yet, the inaction is the one thing it can contest (issue 27).
    const complainedAt = at(workingDayBack(1), 10).toISOString();
    expect(Date.parse(complainedAt)).toBeGreaterThan(serviceDue(registrationMoment(new Date(submittedAt))).getTime());
    const filed = await http('POST', `/applications/${id}/complaints`, {
      addressee: 'provider',
      text: 'No decision in time.',
      submittedAt: complainedAt,
    });
    expect(filed.status).toBe(202);
    expect(filed.body).toMatchObject({ subject: 'inaction', late: false, registeredAt: complainedAt });
    // filed through the provider, which may satisfy it in full (APPK art. 91 §4)
    await eventually(
      () => http('GET', `/complaints/${filed.body.complaintId}`),
      (r) => r.body.state === 'with-provider',
    );
    const decided = await http('POST', `/complaints/${filed.body.complaintId}/decision`, {
      outcome: 'upheld',
      motivation: { kk: 'The term passed a week before the complaint. (kk)', ru: 'The term passed a week before the complaint.' },
      official: 'Head of the department',
    });
    expect(decided.status).toBe(200);
    const ordered = await eventually(
      () => http('GET', `/applications/${id}`),
      (r) => r.body.decisionOrderedAt !== null,
    );
    expect(ordered.body).toMatchObject({ state: 'under-review', overdue: true, decisionDueAt: decided.body.decidedAt });
  });

  test('a submission on a holiday registers at 09:00 of the next working day (R7)', async () => {
    // The latest weekday off before the week (published calendar), within the stack's bound.
    const holiday = lastDateBefore(new Date(IN_HOURS), (d) => !isWorkingDay(d) && DateTime.fromISO(d).weekday <= 5);
    const submittedAt = at(holiday, 11).toISOString();
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(1111), submittedAt }));
    expect(submitted.status).toBe(202);
    const review = await eventually(
      () => http('GET', `/applications/${submitted.body.applicationId}`),
      (r) => r.body.registeredAt !== null,
    );
    const registered = registrationMoment(new Date(submittedAt));
    expect(formatInstant(registered).slice(11)).toBe('09:00:00+05:00');
    expect(review.body.registeredAt).toBe(registered.toISOString());
    expect(review.body.decisionDueAt).toBe(serviceDue(registered).toISOString()); // at that day's close (000 §7)
  });

  test('a second application of the same teacher in the same academic year is refused with 409 (R10)', async () => {
    const submission = sampleSubmission({ iin: sampleIin(202), submittedAt: IN_HOURS });
    expect((await http('POST', '/applications', submission)).status).toBe(202);
    const again = await http('POST', '/applications', { ...submission, category: 'expert' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'duplicate-application', rule: 'R10' });
    const aYearBack = at(lastDateBefore(new Date(Date.parse(IN_HOURS) - 365 * 86_400_000), isWorkingDay), 10);
    expect(academicYearOf(aYearBack)).not.toBe(submission.academicYear);
    const lastYear = await http('POST', '/applications', {
      ...submission,
      academicYear: academicYearOf(aYearBack),
      submittedAt: aYearBack.toISOString(),
    });
    expect(lastYear.status).toBe(202);
  });

  test('a decision given after the worker restarted still completes the case', async () => {
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(303), submittedAt: IN_HOURS }));
    const { applicationId } = submitted.body;
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'under-review',
    );

    await stack.restartWorker();

    const refused = await http('POST', `/applications/${applicationId}/decision`, {
      decision: 'refuse',
      grounds: [2],
      motivation: {
        kk: 'the certificate of professional development courses is missing (kk)',
        ru: 'the certificate of professional development courses is missing',
      },
      official: 'A. Head',
    });
    expect(refused.status).toBe(200);
    const done = await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'notified' && r.body.notices.length > 0,
    );
    expect(done.body).toMatchObject({ state: 'notified', decision: 'refuse', refusalGrounds: [2] });
    const russian = done.body.notices.find((n: { language: string }) => n.language === 'ru');
    expect(russian.body).toContain('УВЕДОМЛЕНИЕ об отказе в дальнейшем рассмотрении заявления');
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
    // Today declared a day off by a (test) order: a submission made now registers on a later day, whatever the hour.
    // (A date ahead of the clock would be refused: submittedAt is at most minutes ahead.)
    const today = formatInstant(new Date()).slice(0, 10);
    await store.calendarOverride.create({ data: { date: today, kind: 'day-off', basis: 'test order No. 2 of 02.12.2026', addedBy: 'e2e' } });
    const now = new Date().toISOString();
    const submitted = await http(
      'POST',
      '/applications',
      sampleSubmission({ iin: sampleIin(404), submittedAt: now, academicYear: academicYearOf(now) }),
    );
    const { applicationId } = submitted.body;
    await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'waiting-for-registration',
    );
    await store.calendarOverride.delete({ where: { date: today } });
    const early = await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/under review/);
    await client.workflow.getHandle(workflowIdFor(applicationId)).terminate('test over');
  });

  test("an operator's calendar override reaches the workflow through an activity (issue 3)", async () => {
    // The last Saturday declared a working day by a (test) order: a Saturday submission registers at once.
    const date = lastDateBefore(new Date(), (d) => DateTime.fromISO(d).weekday === 6);
    await store.calendarOverride.create({ data: { date, kind: 'working-day', basis: 'test order No. 1', addedBy: 'e2e' } });
    const saturday = at(date, 11).toISOString();
    const submitted = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(505), submittedAt: saturday }));
    const review = await eventually(
      () => http('GET', `/applications/${submitted.body.applicationId}`),
      (r) => r.body.state === 'under-review',
    );
    expect(review.body.registeredAt).toBe(new Date(saturday).toISOString());
    await store.calendarOverride.delete({ where: { date } });
  });
});
