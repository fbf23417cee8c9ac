/**
 * Complaints through the HTTP API with every real part but the clock (R13): PostgreSQL with the committed
 * migrations, the real activities (signing, outbox, relay, receiver) and the API, on Temporal's time-skipping
 * server, so that weeks of working days pass in seconds. Decisions are given through the API before their
 * deadlines, except the one that is meant to be late.
 */
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Store } from '../infra/store';
import { keysDeliveredOnce, startTimeSkippingStack, type TimeSkippingStack } from './helpers/service';
import { opensslRefuses } from './helpers/openssl';
import { ZONE, formatInstant } from '../domain/calendar';
import { sampleIin, sampleSubmission } from './helpers/applications';
import {
  academicYearOf,
  at,
  deadline,
  fridayEveningBeforeHolidayAfter,
  isWorkingDay,
  lastDateBefore,
  registrationMoment,
  serviceDue,
} from './helpers/clock';
import { TEST_API_KEY, eventually, httpClient } from './helpers/http';
import { cliAsync } from './helpers/cli';

let stack: TimeSkippingStack;
let store: Store;
let baseUrl: string;
let trustAnchorsPem: string;
const http = httpClient(() => baseUrl);

beforeAll(async () => {
  stack = await startTimeSkippingStack('complaints');
  ({ store, baseUrl, trustAnchorsPem } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const skipTo = (instant: Date) => stack.skipTo(instant);

test('an upheld complaint reopens the review and a second one, late, escalates; the cabinet ends with the pre-trial record (R13)', async () => {
  // A long weekend of the published calendar a week or more ahead, and a working morning before it.
  const friday = DateTime.fromJSDate(fridayEveningBeforeHolidayAfter(new Date((await stack.env.currentTimeMs()) + 7 * 86_400_000)), { zone: ZONE });
  const morning = DateTime.fromJSDate(at(lastDateBefore(friday.minus({ days: 3 }).toJSDate(), isWorkingDay), 10), { zone: ZONE });
  await skipTo(morning.toJSDate());

  const submittedAt = morning.toISO()!;
  const submitted = await http(
    'POST',
    '/applications',
    sampleSubmission({ iin: sampleIin(4242), submittedAt, academicYear: academicYearOf(submittedAt) }),
  );
  expect(submitted.status).toBe(202);
  const { applicationId, cabinetId } = submitted.body;
  const application = () => http('GET', `/applications/${applicationId}`);
  await eventually(application, (r) => r.body.state === 'under-review');
  const refused = await http('POST', `/applications/${applicationId}/decision`, {
    decision: 'refuse',
    grounds: [1],
    motivation: { kk: 'the diploma could not be verified (kk)', ru: 'the diploma could not be verified' },
    official: 'A. Head',
  });
  expect(refused.status).toBe(200);
  await eventually(application, (r) => r.body.state === 'notified');

  // Friday evening before a holiday: both complaints register on the next working day, each with its own term.
  await skipTo(friday.toJSDate());
  const filedAt = friday.toISO()!;
  const toProvider = await http('POST', `/applications/${applicationId}/complaints`, {
    addressee: 'provider',
    text: 'The diploma is in the register.',
    submittedAt: filedAt,
  });
  const toAuthority = await http('POST', `/applications/${applicationId}/complaints`, {
    addressee: 'quality-authority',
    text: 'The provider refused without checking the register.',
    grounds: ['R9 ground 1 applied without verification'],
    attachments: [{ fileName: 'register-extract.pdf', sha256: 'c'.repeat(64) }],
    submittedAt: filedAt,
  });
  expect([toProvider.status, toAuthority.status]).toEqual([202, 202]);
  // R7, R13 by the published calendar: after the long weekend, 5 and 15 working days on.
  const registered = registrationMoment(friday.toJSDate());
  expect(formatInstant(registered).slice(0, 10) > friday.plus({ days: 3 }).toISODate()!).toBe(true);
  expect(toProvider.body).toMatchObject({
    addressee: 'provider',
    registeredAt: registered.toISOString(),
    dueAt: deadline(registered, 5).toISOString(),
  });
  expect(toAuthority.body).toMatchObject({ registeredAt: registered.toISOString(), dueAt: deadline(registered, 15).toISOString() });
  // No decision before the registration (R7): the body waits for the next working morning.
  const early = await http('POST', `/complaints/${toProvider.body.complaintId}/decision`, {
    outcome: 'rejected',
    motivation: { kk: 'Too early. (kk)', ru: 'Too early.' },
    official: 'C. Director',
  });
  expect(early.status).toBe(409);
  expect(early.body.error).toMatchObject({ code: 'complaint-decision-not-allowed' });
  expect(early.body.error.message).toMatch(/only while it is under review/);
  const providerComplaint = toProvider.body.complaintId as string;
  const authorityComplaint = toAuthority.body.complaintId as string;

  // The provider the complaint was filed through satisfies it in full within its 3 working days (APPK art. 91
  // §4): the refusal is superseded, review again.
  await skipTo(new Date(registered.getTime() + 60_000));
  const withProvider = await eventually(
    () => http('GET', `/complaints/${providerComplaint}`),
    (r) => r.body.state === 'with-provider',
  );
  expect(withProvider.body.providerDueAt).toBe(deadline(registered, 3).toISOString());
  const upheld = await http('POST', `/complaints/${providerComplaint}/decision`, {
    outcome: 'upheld',
    motivation: { kk: 'The diploma is in the register; review again. (kk)', ru: 'The diploma is in the register; review again.' },
    official: 'C. Director',
  });
  expect(upheld.status).toBe(200);
  const reopenedAt = new Date(await stack.env.currentTimeMs());
  const reopened = await eventually(application, (r) => r.body.state === 'under-review');
  expect(reopened.body).toMatchObject({ round: 2, decision: null, overdue: false });
  // one working day of working time from the reopening, which came a moment before `reopenedAt` was read
  expect(Math.abs(Date.parse(reopened.body.decisionDueAt) - serviceDue(registrationMoment(reopenedAt)).getTime())).toBeLessThanOrEqual(60_000);
  // Decided once: a second decision on the upheld complaint is refused.
  const twice = await http('POST', `/complaints/${providerComplaint}/decision`, {
    outcome: 'rejected',
    motivation: { kk: 'Changed my mind. (kk)', ru: 'Changed my mind.' },
    official: 'C. Director',
  });
  expect(twice.status).toBe(409);
  expect(reopened.body.supersededResults).toEqual([expect.objectContaining({ round: 1, decision: 'refuse' })]);
  const accepted = await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' });
  expect(accepted.status).toBe(200);
  // The authority's complaint is still open: the new result is delivered and the case stays contested.
  await eventually(application, (r) => r.body.state === 'contested' && r.body.notices.some((n: { round: number }) => n.round === 2));

  // The authority misses its 15 working days: flagged, escalated to the body above it, and still owed.
  await skipTo(new Date(Date.parse(toAuthority.body.dueAt) + 60_000));
  const late = await eventually(
    () => http('GET', `/complaints/${authorityComplaint}`),
    (r) => r.body.overdue === true,
  );
  expect(late.body.state).toBe('under-review');
  await eventually(
    () => store.receivedMessage.findUnique({ where: { key: `complaint-escalation:${authorityComplaint}` } }),
    (m) => m !== null,
  );
  // The authority answers through the CLI, as an operator would; its official signs with the development key the
  // stack's CA issued them (DATA_DIR), standing in for NCALayer (issue 31).
  const cliEnv = { env: { API_URL: baseUrl, API_KEY: TEST_API_KEY, DATA_DIR: path.dirname(stack.signingDir) } };
  const shown = await cliAsync(['complaint', authorityComplaint], cliEnv);
  expect(JSON.parse(shown.stdout)).toMatchObject({ complaintId: authorityComplaint, addressee: 'quality-authority', overdue: true });
  const wrong = await cliAsync(
    ['decide-complaint', authorityComplaint, '--outcome', 'dismissed', '--motivation-kk', 'н', '--motivation-ru', 'м', '--official', 'o'],
    cliEnv,
  );
  expect(wrong.status).toBe(1);
  expect(JSON.parse(wrong.stdout).error).toMatchObject({ field: 'outcome' });
  const rejected = await cliAsync(
    [
      'decide-complaint',
      authorityComplaint,
      '--outcome',
      'rejected',
      '--motivation-kk',
      'Қазір күшіндегі нәтиже — қабылдау.',
      '--motivation-ru',
      'Действующий результат — принятие.',
      '--official',
      `${JSON.parse(shown.stdout).reviewingUnit}-head`,
      '--sign-as-development-person',
    ],
    cliEnv,
  );
  expect({ status: rejected.status, stderr: rejected.stderr }).toMatchObject({ status: 0 });
  expect(JSON.parse(rejected.stdout)).toMatchObject({ state: 'rejected', overdue: true });

  // The last administrative instance has spoken and nothing is open: the pre-trial stage is over.
  const closed = await eventually(application, (r) => r.body.state === 'closed');
  expect(closed.body.preTrialCompletedAt).toEqual(expect.any(String));
  expect(closed.body.complaints.map((c: { addressee: string; outcome: string }) => [c.addressee, c.outcome])).toEqual([
    ['provider', 'upheld'],
    ['quality-authority', 'rejected'],
  ]);
  const tooLate = await cliAsync(['complain', applicationId, '--to', 'provider', '--text', 'Once more.'], cliEnv);
  expect(tooLate.status).toBe(1);
  expect(JSON.parse(tooLate.stdout).error).toMatchObject({ code: 'complaint-not-allowed', rule: 'R13' });
  expect(JSON.parse(tooLate.stdout).error.message).toMatch(/in court/);

  // The cabinet: the superseded refusal, both decisions, the new acceptance and the pre-trial record, all signed.
  const cabinet = await eventually(
    () => http('GET', `/cabinets/${cabinetId}`),
    (r) => r.body.applications[0].documents.length === 10,
  );
  const [entry] = cabinet.body.applications;
  expect(entry.preTrialCompletedAt).toEqual(expect.any(String));
  const documents = entry.documents as Array<{
    kind: string;
    language: string;
    round: number;
    supersededAt: string | null;
    body: string;
    signature: { value: string };
  }>;
  const russian = (kind: string) => documents.filter((d) => d.kind === kind && d.language === 'ru');
  expect(russian('refusal')).toEqual([expect.objectContaining({ round: 1, supersededAt: expect.any(String) })]);
  expect(russian('acceptance')).toEqual([expect.objectContaining({ round: 2, supersededAt: null })]);
  expect(russian('complaint-decision').map((d) => d.body)).toEqual([
    expect.stringContaining('жалоба удовлетворена'),
    expect.stringContaining('жалоба оставлена без удовлетворения'),
  ]);
  const record = russian('pre-trial-record')[0].body;
  expect(record).toContain('СПРАВКА о завершении досудебного');
  expect(record).toContain(providerComplaint);
  expect(record).toContain(authorityComplaint);
  for (const d of documents) expect(opensslRefuses(d.body, d.signature.value, trustAnchorsPem)).toBe(false);

  // Every notice, stage report and escalation reached its receiver exactly once.
  expect(await keysDeliveredOnce(store, applicationId)).toEqual(
    expect.arrayContaining([
      `notice:${applicationId}:refusal`,
      `notice:${applicationId}:r2:acceptance`,
      `notice:${applicationId}:complaint:${providerComplaint}`,
      `notice:${applicationId}:pre-trial-record`,
      `stage:${applicationId}:r2:under-review`,
      `complaint-stage:${authorityComplaint}:review-overdue`,
      `stage:${applicationId}:closed`,
    ]),
  );
}, 120_000);
