/**
 * One view of a case, before and after its history is gone (issue 29): four finished cases — accepted; refused,
 * with a complaint upheld and the review reopened; an inaction complaint upheld; refused, with the complaint
 * upheld after a newer application took the year — are read through the real API, worker and PostgreSQL on the
 * time-skipping server, and again through an API whose Temporal has none of their histories (a fresh server, as
 * after the namespace's retention). `GET /applications/:id`, `GET /complaints/:id` and the cabinet answer the
 * same bytes (R5, R10, R13).
 */
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { sampleIin, sampleSubmission } from './helpers/applications';
import { academicYearOf } from './helpers/clock';
import { PATIENCE_MS, TEST_API_KEY, eventually, httpClient, type HttpAnswer } from './helpers/http';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/service';
import { createTimeSkippingEnv } from './helpers/workflow-env';

let stack: TimeSkippingStack;
let emptyTemporal: TestWorkflowEnvironment | undefined;
const http = httpClient(() => stack.baseUrl);

beforeAll(async () => {
  stack = await startTimeSkippingStack('retention');
}, 3 * PATIENCE_MS);

afterAll(async () => {
  await stack?.stop();
  await emptyTemporal?.teardown();
});

const official = 'Head of the education department';
const accept = { decision: 'accept', official };
const refuse = {
  decision: 'refuse',
  grounds: [1],
  motivation: { kk: 'The diploma could not be verified. (kk)', ru: 'The diploma could not be verified.' },
  official,
};
const uphold = {
  outcome: 'upheld',
  motivation: { kk: 'The complaint is well founded. (kk)', ru: 'The complaint is well founded.' },
  official: 'Head of the department',
};

const now = async () => stack.env.currentTimeMs();
const application = (id: string) => () => http('GET', `/applications/${id}`);
const until = (id: string, accept: (body: HttpAnswer['body']) => boolean) => eventually(application(id), (r) => accept(r.body), PATIENCE_MS);

async function submit(serial: number): Promise<{ applicationId: string; cabinetId: string }> {
  const at = await stack.atNextWorkingMoment();
  const answer = await http('POST', '/applications', sampleSubmission({ iin: sampleIin(serial), submittedAt: at, academicYear: academicYearOf(at) }));
  expect(answer.status).toBe(202);
  await until(answer.body.applicationId, (b) => b.state === 'under-review');
  return answer.body as { applicationId: string; cabinetId: string };
}

async function decide(id: string, decision: object, round = 1): Promise<void> {
  const decided = await http('POST', `/applications/${id}/decision`, decision);
  expect(decided.status).toBe(200);
  await until(id, (b) => b.state === 'notified' && b.round === round);
}

/** Files a complaint, moves past its registration and answers it once its review has begun (R7, R13). */
async function complain(id: string, filing: object): Promise<string> {
  const filed = await http('POST', `/applications/${id}/complaints`, { addressee: 'provider', text: 'I contest this.', ...filing });
  expect(filed.status).toBe(202);
  await stack.skipTo(new Date(Math.max(Date.parse(filed.body.registeredAt), await now()) + 60_000));
  // with the provider it was filed through, which satisfies it in full (APPK art. 91 §4)
  await eventually(
    () => http('GET', `/complaints/${filed.body.complaintId}`),
    (r) => r.body.state === 'with-provider',
  );
  return filed.body.complaintId as string;
}

async function upheld(complaintId: string): Promise<void> {
  expect((await http('POST', `/complaints/${complaintId}/decision`, uphold)).status).toBe(200);
  await eventually(
    () => http('GET', `/complaints/${complaintId}`),
    (r) => r.body.state === 'decided' && r.body.documents.length === 2,
  );
}

/** Moves past the complaint period of the result in force; the case closes (R13). */
async function closed(id: string): Promise<HttpAnswer['body']> {
  const { body } = await application(id)();
  await stack.skipTo(new Date(Date.parse(body.complaintPeriodEndsAt) + 86_400_000));
  return (await until(id, (b) => b.state === 'closed' && (b.complaints.length === 0 || b.preTrialCompletedAt !== null))).body;
}

/** The raw bytes an API answers for a path. */
async function bytes(baseUrl: string, route: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}${route}`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
  return { status: response.status, text: await response.text() };
}

test(
  'a finished case reads the same before and after its history is gone: accepted, refused and upheld, inaction upheld, the year taken by a newer application (R5, R10, R13)',
  async () => {
    // Accepted, no complaint.
    const accepted = await submit(7101);
    await decide(accepted.applicationId, accept);
    expect((await closed(accepted.applicationId)).decision).toBe('accept');

    // Refused; the complaint upheld reopens the review, and the new result supersedes the refusal.
    const reopened = await submit(7102);
    await decide(reopened.applicationId, refuse);
    await upheld(await complain(reopened.applicationId, {}));
    await until(reopened.applicationId, (b) => b.state === 'under-review' && b.round === 2);
    await decide(reopened.applicationId, accept, 2);
    const reopenedCase = await closed(reopened.applicationId);
    expect(reopenedCase.supersededResults).toHaveLength(1);
    expect(reopenedCase.complaints).toMatchObject([{ outcome: 'upheld', state: 'decided' }]);

    // No decision in the term: the complaint against the inaction, upheld, orders it at once.
    const ignored = await submit(7103);
    const { body: waiting } = await application(ignored.applicationId)();
    await stack.skipTo(new Date(Date.parse(waiting.decisionDueAt) + 3600_000));
    await until(ignored.applicationId, (b) => b.overdue === true);
    await upheld(await complain(ignored.applicationId, {}));
    await until(ignored.applicationId, (b) => b.decisionOrderedAt !== null);
    await decide(ignored.applicationId, accept);
    const ignoredCase = await closed(ignored.applicationId);
    expect(ignoredCase.decisionOrderedAt).not.toBeNull();
    expect(ignoredCase.complaints).toMatchObject([{ subject: 'inaction', outcome: 'upheld' }]);

    // Refused; the teacher applies again and is accepted; the complaint against the refusal is upheld, but the
    // newer application holds the year (R10).
    const refused = await submit(7104);
    await decide(refused.applicationId, refuse);
    const newer = await submit(7104);
    await decide(newer.applicationId, accept);
    await upheld(await complain(refused.applicationId, {}));
    await until(refused.applicationId, (b) => b.yearHeldBy === newer.applicationId);
    expect((await closed(refused.applicationId)).yearHeldBy).toBe(newer.applicationId);
    await closed(newer.applicationId);

    const cases = [accepted, reopened, ignored, refused, newer];
    const routes = async (base: string) => {
      const paths = cases.flatMap((c) => [`/applications/${c.applicationId}`, `/cabinets/${c.cabinetId}`]);
      for (const c of cases) {
        const { body } = await application(c.applicationId)();
        for (const complaint of body.complaints as Array<{ complaintId: string }>) paths.push(`/complaints/${complaint.complaintId}`);
      }
      return Object.fromEntries(await Promise.all(paths.map(async (p) => [p, await bytes(base, p)] as const)));
    };
    const before = await routes(stack.baseUrl);
    expect(Object.keys(before).filter((p) => p.startsWith('/complaints/'))).toHaveLength(3);

    // Temporal without these histories: every case is answered by the case store alone.
    emptyTemporal = await createTimeSkippingEnv();
    const afterRetention = await stack.anotherApi({
      client: new Client({ connection: emptyTemporal.connection, namespace: emptyTemporal.namespace }),
    });
    for (const c of cases) {
      await expect(emptyTemporal.client.workflow.getHandle(`application-${c.applicationId}`).describe()).rejects.toThrow(/not found/i);
    }
    const after = await routes(afterRetention);
    for (const [route, answer] of Object.entries(before)) {
      expect([route, answer.status]).toEqual([route, 200]);
      expect([route, after[route].text]).toEqual([route, answer.text]);
    }
  },
  10 * PATIENCE_MS,
);
