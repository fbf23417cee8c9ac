/**
 * The application workflow under time skipping: timers of hours and days pass in milliseconds, the
 * activities are replaced by an in-memory store, and the assertions are on workflow time.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Activities } from '../activities';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { DateTime } from 'luxon';
import type { QueryDefinition } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import { WorkingCalendar, ZONE, formatInstant } from '../domain/calendar';
import { applicationWorkflow } from '../workflows';
import {
  complaintStatusQuery,
  decideComplaintUpdate,
  decideUpdate,
  fileComplaintUpdate,
  resultCustodyUpdate,
  statusQuery,
  withdrawUpdate,
  type ApplicationStatus,
} from '../workflows/messages';
import type { CustodyRecord, NoticeRequest, StageRecord } from '../activities';
import { essayOf, sampleInput, sampleSubmission } from './helpers/applications';
import type { ApplicationInput, Submission } from '../domain/application';
import { PROVIDER_OFFICE, STATE_CORPORATION, isOpen, type ServicePlace } from '../domain/standards';
import { createTimeSkippingEnv } from './helpers/workflow-env';

let env: TestWorkflowEnvironment;
// A plain client: unlike env.client, its calls do not let the server skip time, so time moves only when a
// test says so (env.sleep), and a status query never races a timer.
let client: Client;
// A fresh server per test: each test's clock starts at the real present and no test inherits another's timers.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
  client = new Client({ connection: env.connection, namespace: env.namespace });
  await env.connection.testService!.lockTimeSkipping({});
});
afterEach(async () => {
  await env?.teardown();
});

function fakeActivities() {
  const stages: StageRecord[] = [];
  const notices: string[] = [];
  const gaps: number[][] = [];
  const decisions: Array<{ decision: string; grounds: number[]; motivation: string | null }> = [];
  const noticeRequests: NoticeRequest[] = [];
  const complaintStages: Array<{ complaintId: string; state: string; overdue?: boolean }> = [];
  const custody: CustodyRecord[] = [];
  const activities: Activities = {
    lookUpStateRecords: jest.fn(async () => ({ education: true, employment: true })),
    recordApplication: jest.fn(async () => {}),
    loadCalendarOverrides: jest.fn(async () => []),
    reportCalendarGap: jest.fn(async ({ years }) => void gaps.push(years)),
    recordStage: jest.fn(async (s) => void stages.push(s)),
    recordDecision: jest.fn(async (d) => void decisions.push(d)),
    issueNotice: jest.fn(async (request) => {
      notices.push(request.kind);
      noticeRequests.push(request);
      return { noticeIds: [`n-${notices.length}`], kind: request.kind, createdAt: new Date().toISOString() };
    }),
    recordComplaint: jest.fn(async () => {}),
    recordComplaintStage: jest.fn(async (s) => void complaintStages.push(s)),
    recordComplaintDecision: jest.fn(async () => {}),
    recordCustody: jest.fn(async (step) => void custody.push(step)),
  };
  return { activities, stages, notices, gaps, decisions, noticeRequests, complaintStages, custody };
}

async function withWorker<T>(activities: Activities, run: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities,
  });
  return worker.runUntil(run(taskQueue));
}

/**
 * With RECORD_HISTORIES=1 (`npm run histories`), saves a finished workflow's history into test/histories/, where
 * test/replay.test.ts replays it against the current workflow code: a change that would break running cases
 * fails the build.
 */
async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await handle.fetchHistory();
  fs.writeFileSync(path.join(__dirname, 'histories', `${name}.binpb`), temporal.api.history.v1.History.encode(history).finish());
}

/** Moves the test server's clock to an instant (time skipping only goes forward). */
async function skipTo(instant: Date): Promise<void> {
  const ms = instant.getTime() - (await env.currentTimeMs());
  if (ms > 0) await env.sleep(ms);
}

/** Starts an application's workflow on the test's task queue, under the id the test's case names. */
function startApplication(taskQueue: string, input: ApplicationInput) {
  return client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${input.applicationId}`, args: [input] });
}

/** Polls the status query until the workflow has got as far as the test needs. */
async function until(handle: WorkflowHandle, reached: (s: ApplicationStatus) => boolean): Promise<ApplicationStatus> {
  return untilQuery(handle, statusQuery, reached);
}

export async function untilQuery<S>(handle: WorkflowHandle, query: QueryDefinition<S>, reached: (s: S) => boolean): Promise<S> {
  for (let i = 0; i < 400; i++) {
    const status = await handle.query(query);
    if (reached(status)) return status;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the workflow did not reach the expected status: ${JSON.stringify(await handle.query(query))}`);
}

/** Asserts that an update was refused by the workflow's validator, with words matching `reason`. */
async function expectRefused(update: Promise<unknown>, reason: RegExp): Promise<void> {
  const error = await update.then(
    () => {
      throw new Error('the update was accepted');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((error as WorkflowUpdateFailedError).cause?.message).toMatch(reason);
}

/** Lets the complaint period of a delivered result run out (R13) and returns the closed case. */
async function closeAfterComplaintPeriod(handle: WorkflowHandle): Promise<ApplicationStatus> {
  const { complaintPeriodEndsAt } = await until(handle, (s) => s.state === 'notified');
  await skipTo(new Date(Date.parse(complaintPeriodEndsAt!) + 1000));
  return handle.result();
}

/** The next Friday 19:00 (Asia/Almaty) after the test server's clock whose Friday and Monday are working days. */
async function nextOrdinaryFridayEvening(): Promise<Date> {
  let day = DateTime.fromMillis(await env.currentTimeMs(), { zone: ZONE })
    .startOf('day')
    .plus({ days: 1 });
  for (;;) {
    const monday = day.plus({ days: 3 });
    if (day.weekday === 5 && calendar.isWorkingDay(day.toISODate()!) && calendar.isWorkingDay(monday.toISODate()!)) {
      return day.set({ hour: 19 }).toJSDate();
    }
    day = day.plus({ days: 1 });
  }
}

const calendar = new WorkingCalendar();
const decision = { decision: 'accept' as const, official: 'Head of the education department' };

describe('application workflow (time skipping)', () => {
  test('registers a Friday-evening submission on Monday at 09:00 and decides within one working day (R7, R3)', async () => {
    const { activities, stages, notices } = fakeActivities();
    const friday = await nextOrdinaryFridayEvening();
    const monday = DateTime.fromJSDate(friday, { zone: ZONE }).plus({ days: 3 }).set({ hour: 9 });
    await skipTo(friday);
    const input = sampleInput(friday.toISOString());
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      await until(handle, (s) => s.state === 'waiting-for-registration');

      await skipTo(monday.plus({ seconds: 1 }).toJSDate());
      const registered = await until(handle, (s) => s.state === 'under-review');
      expect(formatInstant(new Date(registered.registeredAt!))).toBe(monday.toISO({ suppressMilliseconds: true }));
      const tuesdayClose = calendar.deadline(monday.toJSDate(), 1);
      expect(registered.decisionDueAt).toBe(tuesdayClose.toISOString());
      expect(formatInstant(tuesdayClose).slice(11)).toBe('18:30:00+05:00');

      await handle.executeUpdate(decideUpdate, { args: [decision] });
      const result = await closeAfterComplaintPeriod(handle);
      expect(result.state).toBe('closed');
      expect(result.preTrialCompletedAt).toBeNull(); // no complaint was filed
      expect(result.overdue).toBe(false);
      await recordHistory(handle, 'accepted-after-weekend-registration');
    });
    expect(notices).toEqual(['acceptance']);
    expect(stages.map((s) => s.state)).toEqual(['waiting-for-registration', 'under-review', 'notified', 'closed']);
  });

  test('a late-arriving submission from the eve of Nauryz registers on 26 March, due 27 March (R7, R3)', async () => {
    const { activities } = fakeActivities();
    const input = sampleInput('2026-03-20T19:05:00+05:00');
    // The test server's clock only goes forward: this case is submitted "late" and registers by the calendar alone.
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const status = await until(handle, (s) => s.state === 'under-review');
      // Due long ago: overdue from the first moment it is under review, before any decision can reach it (R3).
      expect(status.overdue).toBe(true);
      expect(formatInstant(new Date(status.registeredAt!))).toBe('2026-03-26T09:00:00+05:00');
      expect(formatInstant(new Date(status.decisionDueAt!))).toBe('2026-03-27T18:30:00+05:00');
      await handle.terminate('test over');
    });
  });

  test('registers a New Year eve submission after the holidays under time skipping, and reports the unconfirmed year (R7, R3)', async () => {
    const { activities, gaps } = fakeActivities();
    const today = DateTime.fromMillis(await env.currentTimeMs(), { zone: ZONE });
    let eve = DateTime.fromObject({ year: today.year, month: 12, day: 31, hour: 19 }, { zone: ZONE });
    if (eve <= today) eve = eve.plus({ years: 1 });
    await skipTo(eve.toJSDate());
    const input = sampleInput(eve.toJSDate().toISOString());
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      await until(handle, (s) => s.state === 'waiting-for-registration');
      await skipTo(eve.plus({ days: 7 }).toJSDate());
      const status = await until(handle, (s) => s.state === 'under-review');
      if (eve.year === 2026) {
        // 1–2 January 2027 are holidays and 2 January is a Saturday, so Monday 4 January is a day off too.
        expect(formatInstant(new Date(status.registeredAt!))).toBe('2027-01-05T09:00:00+05:00');
        // 6 January is the one working day after; 7 January (Christmas) is not counted.
        expect(formatInstant(new Date(status.decisionDueAt!))).toBe('2027-01-06T18:30:00+05:00');
        expect(gaps).toEqual([[2027]]); // 2027 is provisional: an alert, not a silent guess
      } else {
        const registeredOn = formatInstant(new Date(status.registeredAt!)).slice(0, 10);
        expect(registeredOn > `${eve.year + 1}-01-02`).toBe(true);
        expect(calendar.isWorkingDay(registeredOn)).toBe(true);
      }
      await handle.terminate('test over');
    });
  });

  test('an overdue decision is flagged and escalated, and the decision is still owed (R3)', async () => {
    const { activities, stages, notices } = fakeActivities();
    const now = new Date(await env.currentTimeMs());
    const input = sampleInput(now.toISOString());
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const registration = calendar.registrationMoment(now);
      await until(handle, (s) => s.state === 'waiting-for-registration' || s.state === 'under-review');
      await skipTo(new Date(registration.getTime() + 1000));
      const { decisionDueAt } = await until(handle, (s) => s.state === 'under-review');
      await skipTo(new Date(new Date(decisionDueAt!).getTime() + 60_000));
      const late = await until(handle, (s) => s.overdue);
      expect(late.state).toBe('under-review');
      expect(stages).toContainEqual(expect.objectContaining({ overdue: true }));

      const result = await handle.executeUpdate(decideUpdate, {
        args: [{ decision: 'refuse', grounds: [1], motivation: 'the diploma could not be verified', official: 'Head' }],
      });
      expect(result.state).toBe('refused');
      expect((await closeAfterComplaintPeriod(handle)).state).toBe('closed');
      await recordHistory(handle, 'refused-after-overdue');
    });
    expect(notices).toEqual(['refusal']);
  });

  test('a decision before registration is refused by the update validator', async () => {
    const { activities, notices } = fakeActivities();
    const now = await env.currentTimeMs();
    const local = formatInstant(new Date(now));
    // Submitted at 23:00 of the current day: always after hours.
    const input = sampleInput(`${local.slice(0, 10)}T23:00:00+05:00`);
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      await until(handle, (s) => s.state === 'waiting-for-registration');
      await expect(handle.executeUpdate(decideUpdate, { args: [decision] })).rejects.toThrow(WorkflowUpdateFailedError);
      expect((await handle.query(statusQuery)).state).toBe('waiting-for-registration');
      await handle.terminate('test over');
    });
    expect(notices).toEqual([]);
  });

  test('the applicant withdraws while the application waits for registration, and the case closes', async () => {
    const { activities, stages, notices } = fakeActivities();
    const friday = await nextOrdinaryFridayEvening();
    await skipTo(friday);
    const input = sampleInput(friday.toISOString());
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      await until(handle, (s) => s.state === 'waiting-for-registration');
      const withdrawn = await handle.executeUpdate(withdrawUpdate, { args: [{ reason: 'changed my mind' }] });
      expect(withdrawn.state).toBe('withdrawn');
      expect(withdrawn.withdrawnAt).not.toBeNull();
      expect((await handle.result()).state).toBe('withdrawn');
      expect(await env.currentTimeMs()).toBeLessThan(friday.getTime() + 3600_000); // no waiting for Monday
      await recordHistory(handle, 'withdrawn-while-waiting-for-registration');
    });
    expect(stages.map((s) => s.state)).toEqual(['waiting-for-registration', 'withdrawn']);
    expect(notices).toEqual([]);
  });

  test('a withdrawal under review closes the case; after a decision it is refused', async () => {
    const { activities } = fakeActivities();
    const friday = await nextOrdinaryFridayEvening();
    const monday = DateTime.fromJSDate(friday, { zone: ZONE }).plus({ days: 3, hours: -8 }); // Monday 11:00
    await skipTo(monday.toJSDate());
    const first = sampleInput(monday.toJSDate().toISOString());
    const second = sampleInput(monday.toJSDate().toISOString());
    await withWorker(activities, async (taskQueue) => {
      const a = await startApplication(taskQueue, first);
      await until(a, (s) => s.state === 'under-review');
      expect((await a.executeUpdate(withdrawUpdate, { args: [{}] })).state).toBe('withdrawn');
      await expect(a.result()).resolves.toMatchObject({ state: 'withdrawn', decision: null });
      await recordHistory(a, 'withdrawn-under-review');

      const b = await startApplication(taskQueue, second);
      await until(b, (s) => s.state === 'under-review');
      await b.executeUpdate(decideUpdate, { args: [decision] });
      await expect(b.executeUpdate(withdrawUpdate, { args: [{}] })).rejects.toThrow(WorkflowUpdateFailedError);
      expect((await closeAfterComplaintPeriod(b)).state).toBe('closed');
    });
  });

  describe('refused automatically, every defect listed (R9)', () => {
    /** Runs an application submitted now through registration and returns its outcome and the recorded decision. */
    async function outcomeOf(overrides: Parameters<typeof sampleInput>[1], records = { education: true, employment: true }) {
      const fake = fakeActivities();
      fake.activities.lookUpStateRecords = jest.fn(async () => records);
      const now = new Date(await env.currentTimeMs());
      const input = sampleInput(now.toISOString(), overrides);
      return withWorker(fake.activities, async (taskQueue) => {
        const handle = await startApplication(taskQueue, input);
        await skipTo(new Date(calendar.registrationMoment(now).getTime() + 1000));
        const reached = await until(handle, (s) => s.state === 'under-review' || s.state === 'notified');
        if (reached.state === 'under-review') {
          await handle.terminate('went to review');
          return { state: reached.state, decisions: fake.decisions, notices: fake.notices };
        }
        const status = await closeAfterComplaintPeriod(handle);
        const testName = (expect.getState().currentTestName ?? '').split('(R9)').pop()!;
        await recordHistory(
          handle,
          `refused-automatically-${testName
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-|-$/g, '')}`,
        );
        return { state: status.state, refusalGrounds: status.refusalGrounds, decisions: fake.decisions, notices: fake.notices };
      });
    }

    test.each([
      [249, 'closed'],
      [250, 'under-review'],
      [300, 'under-review'],
      [301, 'closed'],
    ])('an essay of %i words: %s (R8 p. 9, ground 2)', async (words, state) => {
      const outcome = await outcomeOf({ essay: essayOf(words) });
      expect(outcome.state).toBe(state);
      if (state === 'closed') {
        expect(outcome.refusalGrounds).toEqual([2]);
        expect(outcome.decisions[0].motivation).toContain(`эссе содержит ${words} слов`);
        expect(outcome.notices).toEqual(['refusal']);
      }
    });

    test('no consent to personal-data access is ground 3', async () => {
      const outcome = await outcomeOf({ personalDataConsent: false });
      expect(outcome).toMatchObject({ state: 'closed', refusalGrounds: [3] });
    });

    test('a missing document and a short essay are both listed, grounds 2', async () => {
      const outcome = await outcomeOf(
        { category: 'researcher', channel: 'portal', documents: [], essay: essayOf(10) },
        { education: false, employment: true },
      );
      expect(outcome).toMatchObject({ state: 'closed', refusalGrounds: [2] });
      const motivation = outcome.decisions[0].motivation!;
      expect(motivation).toContain('эссе содержит 10 слов');
      expect(motivation).toContain('сертификат о прохождении курсов повышения квалификации');
      expect(motivation).toContain('документ об образовании (в информационных системах сведений нет)');
      expect(motivation).not.toContain('документ, подтверждающий трудовую деятельность');
    });

    test('a document the systems lack is no defect when the applicant attached it (R8)', async () => {
      const documents = [
        ...sampleSubmission({ category: 'master' }).documents,
        { kind: 'diploma' as const, fileName: 'd.pdf', sha256: 'b'.repeat(64) },
      ];
      const outcome = await outcomeOf({ category: 'master', channel: 'portal', documents }, { education: false, employment: true });
      expect(outcome.state).toBe('under-review');
    });
  });

  test('a submission outside the campaign window is refused at the workflow boundary too (R10)', async () => {
    const { activities } = fakeActivities();
    const input = sampleInput('2026-11-23T10:00:00+05:00', { academicYear: '2027-2028' });
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const failed = await handle.result().then(
        () => null,
        (e: Error) => e.cause,
      );
      expect(failed).toMatchObject({ type: 'InvalidApplication', details: [{ code: 'outside-campaign', field: 'submittedAt', rule: 'R10' }] });
      expect((failed as Error).message).toMatch(/^applications for 2027-2028 are accepted from 2027-09-01/);
    });
    expect(activities.recordApplication).not.toHaveBeenCalled();
  });

  test('an invalid application is refused at the workflow boundary too', async () => {
    const { activities } = fakeActivities();
    const input = { ...sampleInput('2026-11-23T10:00:00+05:00'), category: 'boss' as never };
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      await expect(handle.result()).rejects.toThrow();
      await recordHistory(handle, 'invalid-application');
    });
    expect(activities.recordApplication).not.toHaveBeenCalled();
  });
});

describe('complaints (R13, time skipping)', () => {
  const complaintText = 'The refusal ignores the diploma I attached.';

  /** The first Friday 19:00 after `from` whose Monday is a holiday (a working Friday, a long weekend). */
  function fridayEveningBeforeHoliday(from: DateTime): DateTime {
    let day = from.startOf('day').plus({ days: 1 });
    for (;;) {
      const monday = day.plus({ days: 3 });
      if (day.weekday === 5 && calendar.isWorkingDay(day.toISODate()!) && !calendar.isWorkingDay(monday.toISODate()!)) {
        return day.set({ hour: 19 });
      }
      day = day.plus({ days: 1 });
    }
  }

  /** Submits an application at `at` (a working moment), decides it at once, and waits for the delivered result. */
  async function deliveredResult(
    taskQueue: string,
    at: Date,
    d: typeof decision | { decision: 'refuse'; grounds: [1]; motivation: string; official: string },
  ) {
    const input = sampleInput(at.toISOString());
    const handle = await startApplication(taskQueue, input);
    await until(handle, (s) => s.state === 'under-review');
    await handle.executeUpdate(decideUpdate, { args: [d] });
    await until(handle, (s) => s.state === 'notified');
    return handle;
  }

  test('two complaints filed on a Friday evening before a holiday register after it, keep their own clocks, and the late one escalates', async () => {
    const fake = fakeActivities();
    const now = DateTime.fromMillis(await env.currentTimeMs(), { zone: ZONE });
    const friday = fridayEveningBeforeHoliday(now.plus({ days: 7 }));
    const workingMorning = friday.minus({ days: 4 }).set({ hour: 10 }); // the Monday before, or earlier
    let submitAt = workingMorning;
    while (!calendar.isWorkingDay(submitAt.toISODate()!)) submitAt = submitAt.minus({ days: 1 });
    await skipTo(submitAt.toJSDate());
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await deliveredResult(taskQueue, submitAt.toJSDate(), decision);
      await skipTo(friday.toJSDate());
      const filedAt = friday.toJSDate().toISOString();
      const toProvider = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'provider', text: complaintText, submittedAt: filedAt }],
      });
      const toAuthority = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'quality-authority', text: complaintText, submittedAt: filedAt }],
      });
      // A second complaint to a body that is still reviewing one is refused with the reason.
      await expectRefused(
        handle.executeUpdate(fileComplaintUpdate, { args: [{ addressee: 'provider', text: complaintText, submittedAt: filedAt }] }),
        /a complaint to the provider \(.*\) is already under review, due 2\d{3}-/,
      );

      if (friday.toISODate() === '2027-03-05') {
        // Saturday and Sunday, then 8 March (Monday): registered Tuesday 9 March at 09:00 (R7). The provider's 5
        // working days skip 15 March (Constitution Day from 2027); the authority's 15 skip Nauryz, 21–24 March.
        expect(formatInstant(new Date(toProvider.registeredAt))).toBe('2027-03-09T09:00:00+05:00');
        expect(formatInstant(new Date(toProvider.dueAt))).toBe('2027-03-17T18:30:00+05:00');
        expect(formatInstant(new Date(toAuthority.registeredAt))).toBe('2027-03-09T09:00:00+05:00');
        expect(formatInstant(new Date(toAuthority.dueAt))).toBe('2027-04-05T18:30:00+05:00');
      } else {
        const registered = calendar.registrationMoment(friday.toJSDate());
        expect(toProvider.registeredAt).toBe(registered.toISOString());
        expect(formatInstant(registered) > friday.plus({ days: 3 }).toISODate()!).toBe(true);
        expect(toProvider.dueAt).toBe(calendar.deadline(registered, 5).toISOString());
        expect(toAuthority.dueAt).toBe(calendar.deadline(registered, 15).toISOString());
      }
      const provider = client.workflow.getHandle(toProvider.workflowId);
      const authority = client.workflow.getHandle(toAuthority.workflowId);
      expect((await untilQuery(provider, complaintStatusQuery, (c) => c.state === 'waiting-for-registration')).addressee).toBe('provider');
      expect((await until(handle, (s) => s.state === 'contested')).complaints).toHaveLength(2);

      // The provider decides inside its term: no escalation; the authority's clock runs on.
      await skipTo(new Date(Date.parse(toProvider.registeredAt) + 1000));
      await untilQuery(provider, complaintStatusQuery, (c) => c.state === 'under-review');
      const rejected = await provider.executeUpdate(decideComplaintUpdate, {
        args: [{ outcome: 'rejected', motivation: 'The diploma was considered; the refusal stands.', official: 'Head of department' }],
      });
      expect(rejected).toMatchObject({ state: 'rejected', overdue: false });
      await expect(provider.result()).resolves.toMatchObject({ state: 'decided', outcome: 'rejected' });
      await skipTo(new Date(Date.parse(toProvider.dueAt) + 60_000));
      expect(await authority.query(complaintStatusQuery)).toMatchObject({ state: 'under-review', overdue: false });
      expect((await until(handle, (s) => s.complaints.some((c) => c.outcome === 'rejected'))).state).toBe('contested');

      // The authority misses its 15 working days: flagged and escalated, and the review is still owed.
      await skipTo(new Date(Date.parse(toAuthority.dueAt) + 60_000));
      expect(await untilQuery(authority, complaintStatusQuery, (c) => c.overdue)).toMatchObject({ state: 'under-review' });
      for (let i = 0; i < 200 && !fake.complaintStages.some((st) => st.overdue); i++) await new Promise((r) => setTimeout(r, 25));
      expect(fake.complaintStages).toContainEqual({ complaintId: toAuthority.complaintId, state: 'under-review', overdue: true });
      expect(fake.complaintStages.filter((s) => s.overdue).map((s) => s.complaintId)).toEqual([toAuthority.complaintId]);
      await authority.executeUpdate(decideComplaintUpdate, {
        args: [
          {
            outcome: 'partly-upheld',
            motivation: 'The provider answered late; the refusal stands on its merits.',
            official: 'Chair of the authority',
          },
        ],
      });

      // The last administrative instance has spoken: the pre-trial stage is over and the cabinet says so.
      const closed = await handle.result();
      expect(closed.state).toBe('closed');
      expect(closed.preTrialCompletedAt).not.toBeNull();
      expect(closed.complaints.map((c) => [c.addressee, c.outcome])).toEqual([
        ['provider', 'rejected'],
        ['quality-authority', 'partly-upheld'],
      ]);
      await recordHistory(handle, 'complaints-side-by-side');
      await recordHistory(authority, 'complaint-overdue-partly-upheld');
    });
    expect(fake.notices).toEqual(['acceptance', 'complaint-decision', 'complaint-decision', 'pre-trial-record']);
  });

  test('an upheld complaint reopens the review with a new one-working-day term, and the new result supersedes the old', async () => {
    const fake = fakeActivities();
    const monday = DateTime.fromJSDate(await nextOrdinaryFridayEvening(), { zone: ZONE })
      .plus({ days: 3 })
      .set({ hour: 10 });
    await skipTo(monday.toJSDate());
    await withWorker(fake.activities, async (taskQueue) => {
      // No complaint before there is a result.
      const early = sampleInput(monday.toJSDate().toISOString());
      const pending = await startApplication(taskQueue, early);
      await until(pending, (s) => s.state === 'under-review');
      await expectRefused(
        pending.executeUpdate(fileComplaintUpdate, {
          args: [{ addressee: 'provider', text: complaintText, submittedAt: monday.toJSDate().toISOString() }],
        }),
        /still under-review; a complaint can be filed once its result is delivered/,
      );
      await pending.terminate('test over');

      const handle = await deliveredResult(taskQueue, monday.toJSDate(), {
        decision: 'refuse',
        grounds: [1],
        motivation: 'the diploma could not be verified',
        official: 'Head',
      });
      const filedAt = new Date(await env.currentTimeMs());
      const filed = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'provider', text: complaintText, submittedAt: filedAt.toISOString() }],
      });
      expect(filed.registeredAt).toBe(calendar.registrationMoment(filedAt).toISOString());
      const complaint = client.workflow.getHandle(filed.workflowId);
      await untilQuery(complaint, complaintStatusQuery, (c) => c.state === 'under-review');
      await complaint.executeUpdate(decideComplaintUpdate, {
        args: [{ outcome: 'upheld', motivation: 'The diploma is in the register; review again.', official: 'Head of department' }],
      });

      const reopenedAt = new Date(await env.currentTimeMs());
      const reopened = await until(handle, (s) => s.state === 'under-review');
      expect(reopened).toMatchObject({ round: 2, decision: null, overdue: false });
      expect(reopened.supersededResults).toEqual([expect.objectContaining({ round: 1, decision: 'refuse' })]);
      expect(reopened.decisionDueAt).toBe(calendar.deadline(calendar.registrationMoment(reopenedAt), 1).toISOString());
      // The status moves before the stage's activity has run: wait for the report of the new round.
      for (let i = 0; i < 200 && !fake.stages.some((st) => st.round === 2); i++) await new Promise((r) => setTimeout(r, 25));
      expect(fake.stages).toContainEqual(expect.objectContaining({ state: 'under-review', round: 2, occurrence: 'r2', overdue: false }));

      await handle.executeUpdate(decideUpdate, { args: [decision] });
      const renewed = await until(handle, (s) => s.state === 'notified');
      expect(renewed).toMatchObject({ round: 2, decision: 'accept' });
      const closed = await closeAfterComplaintPeriod(handle);
      expect(closed.preTrialCompletedAt).not.toBeNull();
      await recordHistory(handle, 'complaint-upheld-reopens-review');
      await recordHistory(complaint, 'complaint-upheld');
    });
    expect(fake.noticeRequests.map((n) => [n.kind, n.round ?? 1])).toEqual([
      ['refusal', 1],
      ['complaint-decision', 1],
      ['acceptance', 2],
      ['pre-trial-record', 1],
    ]);
  });

  test('the complaint period ends on a working day three months after the delivery; a complaint dated later is refused, and the closed case takes none', async () => {
    const fake = fakeActivities();
    const monday = DateTime.fromJSDate(await nextOrdinaryFridayEvening(), { zone: ZONE })
      .plus({ days: 3 })
      .set({ hour: 10 });
    await skipTo(monday.toJSDate());
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await deliveredResult(taskQueue, monday.toJSDate(), decision);
      const { complaintPeriodEndsAt } = await handle.query(statusQuery);
      // Three months from the delivery, to the end of a working day (Administrative Procedural Code art. 91).
      const end = DateTime.fromISO(complaintPeriodEndsAt!, { zone: ZONE });
      expect(end.toFormat('HH:mm:ss')).toBe('23:59:59');
      expect(calendar.isWorkingDay(end.toISODate()!)).toBe(true);
      expect(end >= monday.plus({ months: 3 }).startOf('day')).toBe(true);
      const late = end.plus({ seconds: 1 }).toJSDate().toISOString();
      await expectRefused(
        handle.executeUpdate(fileComplaintUpdate, { args: [{ addressee: 'provider', text: complaintText, submittedAt: late }] }),
        /must not be in the future/,
      );
      expect((await closeAfterComplaintPeriod(handle)).preTrialCompletedAt).toBeNull();
      const afterwards = new Date(await env.currentTimeMs()).toISOString();
      await expect(
        handle.executeUpdate(fileComplaintUpdate, { args: [{ addressee: 'provider', text: complaintText, submittedAt: afterwards }] }),
      ).rejects.toThrow();
    });
    expect(fake.notices).toEqual(['acceptance']);
  });
});

describe('the earlier standard: office and State Corporation (standard-1, time skipping)', () => {
  const complaintText = 'The result was not explained to me.';

  /** The next moment after the test server's clock, at `hour`, when a place is open on an ordinary weekday of that kind. */
  async function nextOpen(place: ServicePlace, hour: number, weekday: number): Promise<DateTime> {
    let day = DateTime.fromMillis(await env.currentTimeMs(), { zone: ZONE })
      .startOf('day')
      .plus({ days: 1 });
    const ordinaryWeek = (d: DateTime) => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].every((k) => !calendar.dayOf(d.plus({ days: k }).toISODate()!));
    while (!(day.weekday === weekday && isOpen(place, day.set({ hour }).toJSDate(), calendar) && ordinaryWeek(day))) day = day.plus({ days: 1 });
    return day.set({ hour });
  }

  const earlierInput = (submittedAt: DateTime, overrides: Partial<Submission>) => ({
    ...sampleInput(submittedAt.toJSDate().toISOString(), { category: 'master', ...overrides }),
    standard: 'standard-1' as const,
  });
  const issued = { event: 'issued' as const, to: 'applicant' as const, place: 'state-corporation' as const, official: 'State Corporation operator' };

  test('at the office: registered at once, due in 20 minutes, flagged when late, the receipt handed over (R3, R5, R7)', async () => {
    const fake = fakeActivities();
    const monday = await nextOpen(PROVIDER_OFFICE, 10, 1);
    await skipTo(monday.toJSDate());
    const input = earlierInput(monday, { channel: 'office', personalDataConsent: false, essay: 'Эссе сдано вместе с результатом тестирования.' });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const review = await until(handle, (s) => s.state === 'under-review');
      // No consent ground and no essay length under the earlier standard: the case goes to the clerk (R9).
      expect(review).toEqual(expect.objectContaining({ standard: 'standard-1', channel: 'office', decision: null, custody: null }));
      expect(review.registeredAt).toBe(input.submittedAt);
      expect(formatInstant(new Date(review.decisionDueAt!))).toBe(monday.plus({ minutes: 20 }).toISO({ suppressMilliseconds: true }));
      await expectRefused(
        handle.executeUpdate(decideUpdate, { args: [{ decision: 'refuse', grounds: [3], motivation: 'no consent', official: 'Clerk' }] }),
        /3 is not a ground for refusal under the earlier standard.*its grounds are 1, 2 \(R9\)/,
      );

      await skipTo(monday.plus({ minutes: 21 }).toJSDate());
      expect((await until(handle, (s) => s.overdue)).state).toBe('under-review');
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'accept', official: 'Clerk of the education department' }] });
      const notified = await until(handle, (s) => s.state === 'notified');
      expect(notified.overdue).toBe(true);
      await closeAfterComplaintPeriod(handle);
      await recordHistory(handle, 'standard-1-office-receipt-after-overdue');
    });
    expect(fake.notices).toEqual(['receipt']);
    expect(fake.stages.filter((s) => s.overdue)).toHaveLength(1);
    expect(fake.custody).toEqual([]);
  });

  test('through the State Corporation: a receipt for the package, hand-over, 3 working days from a Saturday, the result issued to a representative (R3, R5, R7)', async () => {
    const fake = fakeActivities();
    const saturday = await nextOpen(STATE_CORPORATION, 11, 6);
    await skipTo(saturday.toJSDate());
    const input = earlierInput(saturday, { channel: 'state-corporation', serviceLocality: 'provider-locality' });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const review = await until(handle, (s) => s.state === 'under-review');
      // The day of acceptance is not counted: Monday, Tuesday, Wednesday (R3).
      expect(formatInstant(new Date(review.decisionDueAt!))).toBe(
        saturday.plus({ days: 4 }).set({ hour: 18, minute: 30 }).toISO({ suppressMilliseconds: true }),
      );
      await expectRefused(handle.executeUpdate(resultCustodyUpdate, { args: [issued] }), /cannot be issued now: the case is under-review/);

      await skipTo(saturday.plus({ days: 2, hours: 1 }).toJSDate());
      await handle.executeUpdate(decideUpdate, { args: [decision] });
      const waiting = await until(handle, (s) => s.state === 'awaiting-collection');
      expect(waiting.custody!.storageEndsAt).toBe(
        DateTime.fromISO(waiting.custody!.atStateCorporationAt!).plus({ months: 1 }).toJSDate().toISOString(),
      );
      await expectRefused(handle.executeUpdate(resultCustodyUpdate, { args: [{ ...issued, to: 'representative' }] }), /notarised power of attorney/);
      await expectRefused(handle.executeUpdate(resultCustodyUpdate, { args: [{ ...issued, place: 'home' }] }), /issued at the State Corporation/);
      await expectRefused(
        handle.executeUpdate(fileComplaintUpdate, {
          args: [{ addressee: 'provider', text: complaintText, submittedAt: new Date(await env.currentTimeMs()).toISOString() }],
        }),
        /awaiting-collection/,
      );

      await skipTo(saturday.plus({ days: 5 }).toJSDate());
      const collected = await handle.executeUpdate(resultCustodyUpdate, {
        args: [{ ...issued, to: 'representative', powerOfAttorney: 'No. 1234 of 01.12.2026' }],
      });
      expect(collected.state).toBe('notified');
      expect(collected.custody).toEqual(
        expect.objectContaining({ issuedTo: 'representative', issuedAt: collected.notifiedAt, returnedToProviderAt: null }),
      );
      // The complaint period runs from the day the applicant got the result (R13).
      expect(Date.parse(collected.complaintPeriodEndsAt!)).toBeGreaterThan(
        DateTime.fromISO(collected.notifiedAt!).plus({ months: 3 }).toMillis() - 86_400_000,
      );
      await closeAfterComplaintPeriod(handle);
      await recordHistory(handle, 'standard-1-state-corporation-collected-by-representative');
    });
    expect(fake.notices).toEqual(['intake-receipt', 'receipt']);
    expect(fake.custody.map((c) => c.event)).toEqual(['package-handed-over', 'result-at-state-corporation', 'result-issued']);
    expect(fake.stages.map((s) => s.state)).toEqual(['under-review', 'notified', 'closed']);
  });

  test('an uncollected result goes back to the provider after a month; asked for later, it is sent again within a working day, late → flagged (R14)', async () => {
    const fake = fakeActivities();
    const tuesday = await nextOpen(STATE_CORPORATION, 12, 2);
    await skipTo(tuesday.toJSDate());
    const input = earlierInput(tuesday, { channel: 'state-corporation', serviceLocality: 'elsewhere' });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const review = await until(handle, (s) => s.state === 'under-review');
      expect(review.decisionDueAt).toBe(calendar.deadline(tuesday.toJSDate(), 7).toISOString()); // elsewhere: 7 working days (R3)
      await handle.executeUpdate(decideUpdate, {
        args: [
          {
            decision: 'refuse',
            grounds: [1],
            motivation: 'the employment record does not match the registry',
            official: 'Head of the education department',
          },
        ],
      });
      const waiting = await until(handle, (s) => s.state === 'awaiting-collection');

      await skipTo(new Date(Date.parse(waiting.custody!.storageEndsAt!) + 1000));
      const returned = await until(handle, (s) => s.state === 'returned-to-provider');
      expect(returned.custody!.returnedToProviderAt).not.toBeNull();
      await expectRefused(handle.executeUpdate(resultCustodyUpdate, { args: [issued] }), /cannot be issued now: the case is returned-to-provider/);

      // Weeks later the applicant comes; the State Corporation asks the provider for the result.
      await skipTo(DateTime.fromISO(returned.custody!.returnedToProviderAt!).plus({ weeks: 2 }).toJSDate());
      const requested = await handle.executeUpdate(resultCustodyUpdate, { args: [{ event: 'requested', official: 'State Corporation operator' }] });
      expect(requested.state).toBe('requested-again');
      const requestedAt = new Date(requested.custody!.requestedAt!);
      expect(requested.custody!.resendDueAt).toBe(calendar.deadline(calendar.registrationMoment(requestedAt), 1).toISOString());

      await skipTo(new Date(Date.parse(requested.custody!.resendDueAt!) + 1000));
      expect((await until(handle, (s) => s.overdue)).state).toBe('requested-again');
      const sent = await handle.executeUpdate(resultCustodyUpdate, { args: [{ event: 'sent-again', official: 'Head of the education department' }] });
      expect(sent.state).toBe('awaiting-collection');
      expect(Date.parse(sent.custody!.storageEndsAt!)).toBeGreaterThan(Date.parse(requested.custody!.resendDueAt!));
      expect((await handle.executeUpdate(resultCustodyUpdate, { args: [issued] })).state).toBe('notified');
      await closeAfterComplaintPeriod(handle);
      await recordHistory(handle, 'standard-1-state-corporation-returned-requested-sent-again');
    });
    expect(fake.notices).toEqual(['intake-receipt', 'refusal']);
    expect(fake.custody.map((c) => c.event)).toEqual([
      'package-handed-over',
      'result-at-state-corporation',
      'returned-to-provider',
      'result-requested',
      'resend-overdue',
      'result-at-state-corporation',
      'result-issued',
    ]);
    expect(new Set(fake.custody.map((c) => c.occurrence)).size).toBe(fake.custody.length);
  });

  test('a home visit on request: taken at home, the result brought home (R11)', async () => {
    const fake = fakeActivities();
    const thursday = await nextOpen(STATE_CORPORATION, 15, 4);
    await skipTo(thursday.toJSDate());
    const input = earlierInput(thursday, { channel: 'state-corporation', serviceLocality: 'provider-locality', homeVisit: true });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      await until(handle, (s) => s.state === 'under-review');
      await handle.executeUpdate(decideUpdate, { args: [decision] });
      const waiting = await until(handle, (s) => s.state === 'awaiting-collection');
      expect(waiting.custody!.place).toBe('home');
      await expectRefused(
        handle.executeUpdate(resultCustodyUpdate, { args: [issued] }),
        /issued at home, on the home visit the applicant asked for \(R11\)/,
      );
      const home = await handle.executeUpdate(resultCustodyUpdate, { args: [{ ...issued, place: 'home' }] });
      expect(home.state).toBe('notified');
      await closeAfterComplaintPeriod(handle);
      await recordHistory(handle, 'standard-1-home-visit');
    });
    expect(fake.custody.map((c) => c.event)).toEqual(['package-handed-over', 'result-at-state-corporation', 'result-issued']);
  });

  test('an upheld complaint against a State Corporation result: reviewed again in 3 working days, the new result travels its own way (R13, R14)', async () => {
    const fake = fakeActivities();
    const monday = await nextOpen(STATE_CORPORATION, 10, 1);
    await skipTo(monday.toJSDate());
    const input = earlierInput(monday, { channel: 'state-corporation', serviceLocality: 'provider-locality' });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      await until(handle, (s) => s.state === 'under-review');
      await handle.executeUpdate(decideUpdate, {
        args: [{ decision: 'refuse', grounds: [2], motivation: 'no employment record', official: 'Head' }],
      });
      await until(handle, (s) => s.state === 'awaiting-collection');
      await handle.executeUpdate(resultCustodyUpdate, { args: [issued] });
      const filedAt = new Date(await env.currentTimeMs()).toISOString();
      const filed = await handle.executeUpdate(fileComplaintUpdate, { args: [{ addressee: 'provider', text: complaintText, submittedAt: filedAt }] });
      const complaint = client.workflow.getHandle(filed.workflowId);
      await untilQuery(complaint, complaintStatusQuery, (c) => c.state === 'under-review');
      await complaint.executeUpdate(decideComplaintUpdate, {
        args: [{ outcome: 'upheld', motivation: 'The record is in the registry.', official: 'Director' }],
      });

      const reopenedAt = new Date(await env.currentTimeMs());
      const reopened = await until(handle, (s) => s.state === 'under-review' && s.round === 2);
      expect(reopened.decisionDueAt).toBe(calendar.deadline(calendar.registrationMoment(reopenedAt), 3).toISOString());
      await handle.executeUpdate(decideUpdate, { args: [decision] });
      const again = await until(handle, (s) => s.state === 'awaiting-collection');
      // The first result's way is over; this one starts fresh.
      expect(again.custody).toMatchObject({ issuedAt: null, issuedTo: null });
      expect((await handle.executeUpdate(resultCustodyUpdate, { args: [issued] })).state).toBe('notified');
      await handle.terminate('test over');
    });
    expect(fake.noticeRequests.map((n) => [n.kind, n.round ?? 1])).toEqual([
      ['intake-receipt', 1],
      ['refusal', 1],
      ['complaint-decision', 1],
      ['receipt', 2],
    ]);
    expect(fake.custody.filter((c) => c.event === 'result-at-state-corporation').map((c) => c.newResult)).toEqual([true, true]);
  });

  test('a channel the pinned standard does not offer is refused at the workflow boundary too (R2)', async () => {
    const fake = fakeActivities();
    const input = { ...sampleInput('2026-11-23T10:00:00+05:00', { category: 'master', channel: 'office' }), standard: 'standard-2' as const };
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const failed = await handle.result().then(
        () => null,
        (e: Error) => e.cause,
      );
      expect(failed).toMatchObject({ type: 'InvalidApplication', details: [{ code: 'against-standard', field: 'channel', rule: 'R2' }] });
      expect((failed as Error).message).toMatch(/^the office channel is not offered under the current standard/);
    });
    expect(fake.activities.recordApplication).not.toHaveBeenCalled();
  });
});
