/**
 * The paths the law protects and no one had taken (issue 14), through the HTTP API on PostgreSQL and the
 * time-skipping server with the real worker: a refused or withdrawn teacher applies again in the same year (R10),
 * two simultaneous submissions start one case, an application without consent never reaches the gateway
 * (R9 ground 3), a complaint against the provider's inaction orders the decision at once, and a complaint after
 * the period is registered as late and decided on restoring it (R13, APPK art. 92).
 */
import { DateTime } from 'luxon';
import { ZONE } from '../domain/calendar';
import { DatabaseGateway, type StateRecordsGateway } from '../infra/gateway';
import type { Store } from '../infra/store';
import type { CampaignWindow } from '../domain/campaign';
import { essayOf, sampleIin, sampleSubmission } from './helpers/applications';
import { academicYearOf, at, ordinaryMondayMorningAfter } from './helpers/clock';
import { eventually, httpClient } from './helpers/http';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/service';

let stack: TimeSkippingStack;
let store: Store;
let baseUrl: string;
const http = httpClient(() => baseUrl);
/** IINs the gateway was asked about, by the real database adapter the worker uses. */
const gatewayAsked: string[] = [];

let monday: Date;
/** R10: the campaign windows the API admits by; a test sets one for a year that only its case uses. */
const campaignWindows: CampaignWindow[] = [];

beforeAll(async () => {
  stack = await startTimeSkippingStack(
    'second-reading',
    { campaignWindows },
    {
      gateway: (s): StateRecordsGateway => {
        const real = new DatabaseGateway(s);
        return { lookUp: async (iin) => (gatewayAsked.push(iin), real.lookUp(iin)) };
      },
    },
  );
  ({ store, baseUrl } = stack);
  // The file moves the clock some seven months (two complaint periods run out): it starts where they all fall in
  // one academic year, so that the one-a-year rule (R10) is tried within a year, never across two.
  const serverNow = new Date(await stack.env.currentTimeMs());
  const yearEnds = at(`${Number(academicYearOf(serverNow).slice(0, 4)) + 1}-09-01`, 0);
  monday = ordinaryMondayMorningAfter(yearEnds.getTime() - serverNow.getTime() > 240 * 86_400_000 ? serverNow : yearEnds);
  await stack.skipTo(monday);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

/** The academic year after the one the file runs in: the only one with a configured campaign window. */
const NEXT_YEAR = () => {
  const first = Number(academicYearOf(monday).slice(0, 4)) + 1;
  return `${first}-${first + 1}`;
};
const now = async () => DateTime.fromMillis(await stack.env.currentTimeMs(), { zone: ZONE });
/** A submission at the next working moment (the clock moves there), so it registers at once (R7). */
const submission = async (serial: number, overrides: object = {}) => {
  const at = await stack.atNextWorkingMoment();
  return { ...sampleSubmission({ iin: sampleIin(serial), submittedAt: at, academicYear: academicYearOf(at) }), ...overrides };
};
const application = (id: string) => () => http('GET', `/applications/${id}`);

/**
 * Moves the clock past a filed complaint's registration and waits for it to be open for a decision (R7, R13): one
 * filed through the provider is with it (the provider may satisfy it), or, with `forward`, sent on by the provider
 * to the body above it, which decides it any way (APPK art. 91 §4).
 */
async function underReview(filed: Record<string, string>, { forward = false } = {}): Promise<void> {
  await stack.skipTo(new Date(Math.max(Date.parse(filed.registeredAt), (await now()).toMillis()) + 60_000));
  const open = await eventually(
    () => http('GET', `/complaints/${filed.complaintId}`),
    (r) => r.body.state === 'under-review' || r.body.state === 'with-provider',
  );
  if (!forward || open.body.state === 'under-review') return;
  expect((await http('POST', `/complaints/${filed.complaintId}/forwarding`, { official: 'Head of the provider' })).status).toBe(200);
  await eventually(
    () => http('GET', `/complaints/${filed.complaintId}`),
    (r) => r.body.state === 'under-review',
  );
}

/** A decided complaint once its signed decision is in the cabinet, with the Russian and Kazakh texts. */
async function decisionDocuments(complaintId: string) {
  const complaint = await eventually(
    () => http('GET', `/complaints/${complaintId}`),
    (r) => r.body.documents.length === 2,
  );
  const text = (language: string) =>
    (complaint.body.documents as Array<{ language: string; body: string }>).find((d) => d.language === language)!.body;
  return { complaint: complaint.body, ru: text('ru'), kk: text('kk') };
}

test('a teacher refused for a 249-word essay sends a corrected one the same year and is accepted; the open one blocks a third (R10)', async () => {
  const first = await http('POST', '/applications', await submission(9401, { essay: essayOf(249) }));
  expect(first.status).toBe(202);
  const refused = await eventually(application(first.body.applicationId), (r) => r.body.state === 'notified');
  expect(refused.body).toMatchObject({ decision: 'refuse', refusalGrounds: [2] });
  // The refusal the teacher reads names the defect in words, in each language, with no rule ids.
  const ru = (refused.body.notices as Array<{ language: string; body: string }>).find((n) => n.language === 'ru')!.body;
  expect(ru).toContain('эссе содержит 249 слов, тогда как должно содержать от 250 до 300 слов');
  expect(ru).toContain('Решение принято автоматически по результатам проверки заявления информационной системой; удостоверено ЭЦП услугодателя.');
  expect(ru).not.toMatch(/\bR\d|automatic/);

  const second = await http('POST', '/applications', await submission(9401, { essay: essayOf(270) }));
  expect(second.status).toBe(202);
  expect(second.body.applicationId).not.toBe(first.body.applicationId);
  await eventually(application(second.body.applicationId), (r) => r.body.state === 'under-review');
  const third = await http('POST', '/applications', await submission(9401));
  expect(third.status).toBe(409);
  expect(third.body.error).toMatchObject({ code: 'duplicate-application', field: 'iin', rule: 'R10' });
  expect(third.body.error.message).toContain(second.body.applicationId);
  expect((await http('POST', `/applications/${second.body.applicationId}/decision`, { decision: 'accept', official: 'A. Head' })).status).toBe(200);
  await eventually(application(second.body.applicationId), (r) => r.body.state === 'notified');
  // Accepted, the year is used: attestation happens once a year.
  expect((await http('POST', '/applications', await submission(9401))).status).toBe(409);
  const rows = await store.application.findMany({ where: { iin: sampleIin(9401) }, orderBy: { createdAt: 'asc' } });
  expect(rows.map((r) => [r.decision, r.holdsYear])).toEqual([
    ['refuse', null],
    ['accept', true],
  ]);
}, 120_000);

test('a teacher who withdrew applies again; two simultaneous submissions of one teacher and year start one case (R10)', async () => {
  const first = await http('POST', '/applications', await submission(9402));
  expect(first.status).toBe(202);
  await eventually(application(first.body.applicationId), (r) => r.body.state === 'under-review');
  expect((await http('POST', `/applications/${first.body.applicationId}/withdrawal`, {})).status).toBe(200);
  const answers = await Promise.all([http('POST', '/applications', await submission(9402)), http('POST', '/applications', await submission(9402))]);
  expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
  const started = answers.find((a) => a.status === 202)!;
  expect(answers.find((a) => a.status === 409)!.body.error).toMatchObject({ code: 'duplicate-application', rule: 'R10' });
  await eventually(application(started.body.applicationId), (r) => r.body.state === 'under-review');
  const rows = await store.application.findMany({ where: { iin: sampleIin(9402) } });
  expect(rows.map((r) => [r.state, r.holdsYear]).sort()).toEqual([
    ['under-review', true],
    ['withdrawn', null],
  ]);
}, 120_000);

test('an application without consent is refused on ground 3 without asking the gateway (R9; personal data law, art. 8)', async () => {
  const body = await submission(9403, { personalDataConsent: false });
  const answer = await http('POST', '/applications', body);
  expect(answer.status).toBe(202);
  const refused = await eventually(application(answer.body.applicationId), (r) => r.body.state === 'notified');
  expect(refused.body.refusalGrounds).toEqual([3]);
  expect(gatewayAsked).not.toContain(body.iin);
  // With consent, the gateway is asked.
  const consenting = await submission(9404);
  const accepted = await http('POST', '/applications', consenting);
  await eventually(application(accepted.body.applicationId), (r) => r.body.state === 'under-review');
  expect(gatewayAsked).toContain(consenting.iin);
}, 120_000);

test("a complaint against the provider's inaction is registered while the decision is overdue; upheld, the decision is due at once (R13)", async () => {
  const answer = await http('POST', '/applications', await submission(9405));
  const id = answer.body.applicationId as string;
  const review = await eventually(application(id), (r) => r.body.state === 'under-review');
  const early = await http('POST', `/applications/${id}/complaints`, { addressee: 'provider', subject: 'inaction', text: 'No decision yet.' });
  expect(early.status).toBe(409);
  expect(early.body.error).toMatchObject({ code: 'complaint-not-allowed', field: 'subject', rule: 'R13' });
  await stack.skipTo(new Date(Date.parse(review.body.decisionDueAt) + 3600_000));
  await eventually(application(id), (r) => r.body.overdue === true);
  const filed = await http('POST', `/applications/${id}/complaints`, { addressee: 'provider', subject: 'inaction', text: 'No decision yet.' });
  expect(filed.status).toBe(202);
  expect(filed.body).toMatchObject({ subject: 'inaction', late: false });
  await underReview(filed.body);
  const decided = await http('POST', `/complaints/${filed.body.complaintId}/decision`, {
    outcome: 'upheld',
    motivation: { kk: 'The term passed without a decision. (kk)', ru: 'The term passed without a decision.' },
    official: 'Head of the department',
  });
  expect(decided.status).toBe(200);
  const ordered = await eventually(application(id), (r) => r.body.decisionOrderedAt !== null);
  expect(ordered.body).toMatchObject({ state: 'under-review', overdue: true, decisionDueAt: decided.body.decidedAt });
  const { kk } = await decisionDocuments(filed.body.complaintId);
  expect(kk).toContain('Көрсетілетін қызметті берушіге өтініш бойынша шешімді дереу қабылдау тапсырылды.');
  expect((await http('POST', `/applications/${id}/decision`, { decision: 'accept', official: 'A. Head' })).status).toBe(200);
  await eventually(application(id), (r) => r.body.state === 'notified' || r.body.state === 'contested');
}, 120_000);

test('a complaint after the period is registered as late and considered; its period not restored, it is rejected with a signed decision citing art. 92 §3, never left without consideration', async () => {
  const answer = await http('POST', '/applications', await submission(9406));
  const id = answer.body.applicationId as string;
  await eventually(application(id), (r) => r.body.state === 'under-review');
  await http('POST', `/applications/${id}/decision`, {
    decision: 'refuse',
    grounds: [1],
    motivation: { kk: 'Not verified. (kk)', ru: 'Not verified.' },
    official: 'A. Head',
  });
  const notified = await eventually(application(id), (r) => r.body.state === 'notified');
  const periodEnd = DateTime.fromISO(notified.body.complaintPeriodEndsAt, { zone: ZONE });
  // On the period's last day a complaint to the authority (15 working days) keeps the case open past it.
  await stack.skipTo(periodEnd.set({ hour: 11 }).toJSDate());
  const inTime = await http('POST', `/applications/${id}/complaints`, {
    addressee: 'quality-authority',
    text: 'The diploma is genuine.',
    submittedAt: (await now()).toISO(),
  });
  expect(inTime.status).toBe(202);
  expect(inTime.body.late).toBe(false);
  await stack.skipTo(periodEnd.plus({ days: 3 }).toJSDate());
  const late = await http('POST', `/applications/${id}/complaints`, {
    addressee: 'provider',
    text: 'The diploma is genuine.',
    restorationReason: 'I was abroad on a course.',
    submittedAt: (await now()).toISO(),
  });
  expect(late.status).toBe(202);
  expect(late.body).toMatchObject({ late: true, subject: 'result' });
  await underReview(late.body, { forward: true });
  const decide = (body: object) =>
    http('POST', `/complaints/${late.body.complaintId}/decision`, {
      motivation: { kk: 'Considered. (kk)', ru: 'Considered.' },
      official: 'Head',
      ...body,
    });
  const unsaid = await decide({ outcome: 'rejected' });
  expect(unsaid.status).toBe(422);
  expect(unsaid.body.error).toMatchObject({ field: 'periodRestored', rule: 'R13' });
  const unconsidered = await decide({ outcome: 'left-without-consideration', periodRestored: false });
  expect(unconsidered.status).toBe(400);
  expect(unconsidered.body.error).toMatchObject({ field: 'outcome', message: expect.stringContaining('APPK art. 92 §3') });
  const upheldUnrestored = await decide({ outcome: 'upheld', periodRestored: false });
  expect(upheldUnrestored.status).toBe(422);
  expect(upheldUnrestored.body.error).toMatchObject({ field: 'outcome', rule: 'R13' });
  expect((await decide({ outcome: 'rejected', periodRestored: false })).status).toBe(200);
  const { complaint, ru, kk } = await decisionDocuments(late.body.complaintId);
  expect(complaint).toMatchObject({ late: true, periodRestored: false, outcome: 'rejected' });
  expect(ru).toContain('жалоба рассмотрена по существу (часть 3 статьи 92)');
  expect(ru).toContain('Заявлено ходатайство о восстановлении пропущенного срока (часть 2 статьи 92).');
  expect(ru).toContain('являются основанием для отказа в ее удовлетворении (часть 3 статьи 92');
  expect(ru).toContain('Результат рассмотрения: жалоба оставлена без удовлетворения');
  expect(ru).not.toContain('без рассмотрения');
  expect(kk).toContain('шағым мәні бойынша қаралды');
}, 120_000);

test('a complaint against a case closed by its period, after the campaign window closed, is registered as late outside the case; restored and upheld, the case is under review again with a new term, and decided (APPK art. 92, R13)', async () => {
  // The next academic year's window, opened early by an order and closed two weeks on: long before the complaint
  // period of its case ends.
  const opened = (await now()).toMillis();
  campaignWindows.push({
    academicYear: NEXT_YEAR(),
    opens: new Date(opened - 86_400_000).toISOString(),
    closes: new Date(opened + 14 * 86_400_000).toISOString(),
    basis: 'a test order: an early campaign, closed before the complaint period ends',
  });
  const refusedSubmission = await submission(9407, { academicYear: NEXT_YEAR() });
  const answer = await http('POST', '/applications', refusedSubmission);
  const id = answer.body.applicationId as string;
  await eventually(application(id), (r) => r.body.state === 'under-review');
  await http('POST', `/applications/${id}/decision`, {
    decision: 'refuse',
    grounds: [1],
    motivation: { kk: 'Not verified. (kk)', ru: 'Not verified.' },
    official: 'A. Head',
  });
  const notified = await eventually(application(id), (r) => r.body.state === 'notified');
  await stack.skipTo(new Date(Date.parse(notified.body.complaintPeriodEndsAt) + 5 * 24 * 3600_000));
  await eventually(application(id), (r) => r.body.state === 'closed');
  await eventually(
    () => stack.env.client.workflow.getHandle(`application-${id}`).describe(),
    (d) => d.status.name === 'COMPLETED',
  );

  const inaction = await http('POST', `/applications/${id}/complaints`, {
    addressee: 'provider',
    subject: 'inaction',
    text: 'x',
    submittedAt: (await now()).toISO(),
  });
  expect(inaction.status).toBe(409);
  expect(inaction.body.error).toMatchObject({ field: 'subject', rule: 'R13' });
  const late = await http('POST', `/applications/${id}/complaints`, {
    addressee: 'provider',
    text: 'The diploma is genuine; I learned of the refusal only now.',
    restorationReason: 'The notice reached me late.',
    submittedAt: (await now()).toISO(),
  });
  expect(late.status).toBe(202);
  expect(late.body).toMatchObject({ late: true, subject: 'result', addressee: 'provider' });
  // A second one to the same body is registered too (R7, R13); one filed on the period's last day and relayed
  // after the case closed is in time (filed is filed, APPK art. 92 §1).
  const lastDay = DateTime.fromISO(notified.body.complaintPeriodEndsAt, { zone: ZONE }).set({ hour: 23, minute: 0 });
  const second = await http('POST', `/applications/${id}/complaints`, { addressee: 'provider', text: 'again', submittedAt: lastDay.toISO() });
  expect(second.status).toBe(202);
  expect(second.body).toMatchObject({ late: false, addressee: 'provider' });
  expect(second.body.complaintId).not.toBe(late.body.complaintId);

  await underReview(late.body);
  const decided = await http('POST', `/complaints/${late.body.complaintId}/decision`, {
    outcome: 'upheld',
    periodRestored: true,
    motivation: { kk: 'The notice was delivered late; the diploma is genuine. (kk)', ru: 'The notice was delivered late; the diploma is genuine.' },
    official: 'Head of the department',
  });
  expect(decided.status).toBe(200);
  const { ru, kk } = await decisionDocuments(late.body.complaintId);
  expect(ru).toContain('Пропущенный срок обжалования восстановлен по уважительной причине.');
  // what the reviewer decided, and its consequence in law: no advice to apply again, which the closed window refuses
  expect(ru).toContain('Заявление направлено на повторное рассмотрение; прежний результат оказания услуги утрачивает силу.');
  expect(kk).toContain('Өтініш қайта қарауға жіберілді');
  expect(ru).not.toContain('новое заявление');

  // The case is under review again, in a new run of its workflow: the refusal superseded, a new term from now.
  const reopened = await eventually(application(id), (r) => r.body.state === 'under-review' && r.body.round === 2);
  const decidedAt = Date.parse(decided.body.decidedAt);
  expect(Date.parse(reopened.body.decisionDueAt)).toBeGreaterThan(decidedAt);
  expect(Date.parse(reopened.body.decisionDueAt)).toBeLessThan(decidedAt + 4 * 24 * 3600_000);
  expect(reopened.body.supersededResults).toEqual([expect.objectContaining({ round: 1, decision: 'refuse' })]);
  expect(reopened.body.complaints).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ complaintId: late.body.complaintId, late: true, outcome: 'upheld' }),
      expect.objectContaining({ complaintId: second.body.complaintId, late: false, outcome: null }),
    ]),
  );
  // The year is the reopened case's again (R10), and the window is closed: a new application is refused either way.
  const newOne = await http('POST', '/applications', await submission(9407, { academicYear: NEXT_YEAR() }));
  expect(newOne.status).toBe(422);
  expect(newOne.body.error.message).toMatch(/are accepted from .* until/);

  // The provider decides it again; the new result reaches the cabinet.
  const redecided = await http('POST', `/applications/${id}/decision`, { decision: 'accept', official: 'A. Head' });
  expect(redecided.status).toBe(200);
  const accepted = await eventually(
    application(id),
    (r) => r.body.state === 'notified' && r.body.notices.some((n: { round: number }) => n.round === 2),
  );
  expect(accepted.body).toMatchObject({ decision: 'accept', round: 2 });
  expect(accepted.body.notices.map((n: { kind: string; round: number }) => [n.kind, n.round])).toEqual(
    expect.arrayContaining([
      ['acceptance', 2],
      ['refusal', 1],
    ]),
  );

  // The complaint filed in time before the case closed, upheld now against the refusal the case has left behind:
  // it reopens nothing, and its decision says so instead of sending the application back to review.
  await underReview(second.body, { forward: true });
  const upheldLate = await http('POST', `/complaints/${second.body.complaintId}/decision`, {
    outcome: 'upheld',
    motivation: { kk: 'The refusal was unfounded. (kk)', ru: 'The refusal was unfounded.' },
    official: 'Head of the department',
  });
  expect(upheldLate.status).toBe(200);
  const superseded = await decisionDocuments(second.body.complaintId);
  expect(superseded.ru).toContain('Повторное рассмотрение заявления по нему не проводится');
  expect(superseded.ru).not.toContain('Заявление направлено на повторное рассмотрение');
  const after = await eventually(application(id), (r) => r.body.complaints.every((c: { outcome: string | null }) => c.outcome !== null));
  expect(after.body).toMatchObject({ state: 'notified', round: 2, decision: 'accept' });
}, 120_000);

test('a complaint upheld against a refusal after the teacher applied again does not reopen it: the newer application is the one decided (R10, R13)', async () => {
  const first = await http('POST', '/applications', await submission(9408));
  const refusedId = first.body.applicationId as string;
  await eventually(application(refusedId), (r) => r.body.state === 'under-review');
  await http('POST', `/applications/${refusedId}/decision`, {
    decision: 'refuse',
    grounds: [1],
    motivation: { kk: 'Not verified. (kk)', ru: 'Not verified.' },
    official: 'A. Head',
  });
  await eventually(application(refusedId), (r) => r.body.state === 'notified');
  const complaint = await http('POST', `/applications/${refusedId}/complaints`, {
    addressee: 'provider',
    text: 'The diploma is genuine.',
    submittedAt: (await now()).toISO(),
  });
  expect(complaint.status).toBe(202);
  // While the complaint is reviewed, the teacher applies again: the refusal freed the year.
  const newer = await http('POST', '/applications', await submission(9408));
  expect(newer.status).toBe(202);
  await eventually(application(newer.body.applicationId), (r) => r.body.state === 'under-review');
  await underReview(complaint.body);
  const upheld = await http('POST', `/complaints/${complaint.body.complaintId}/decision`, {
    outcome: 'upheld',
    motivation: { kk: 'The diploma is genuine. (kk)', ru: 'The diploma is genuine.' },
    official: 'Head of the department',
  });
  expect(upheld.status).toBe(200);
  const old = await eventually(application(refusedId), (r) => r.body.yearHeldBy !== null);
  expect(old.body).toMatchObject({ state: 'notified', round: 1, yearHeldBy: newer.body.applicationId });
  const { ru } = await decisionDocuments(complaint.body.complaintId);
  expect(ru).toContain(
    `Повторное рассмотрение заявления не проводится: на тот же учебный год рассматривается или принято новое заявление услугополучателя № ${newer.body.applicationId}.`,
  );
  // The store still has one holder of the year: the newer application.
  const holders = await store.application.findMany({ where: { iin: sampleIin(9408), holdsYear: true }, select: { id: true } });
  expect(holders).toEqual([{ id: newer.body.applicationId }]);
}, 120_000);
