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
import type { WorkflowHandle } from '@temporalio/client';
import { WorkingCalendar, ZONE, formatInstant } from '../domain/calendar';
import { applicationWorkflow } from '../workflows';
import { decideUpdate, statusQuery, withdrawUpdate, type ApplicationStatus } from '../workflows/messages';
import { essayOf, sampleInput, sampleSubmission } from './helpers/applications';
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
  const stages: Array<{ state: string; overdue?: boolean }> = [];
  const notices: string[] = [];
  const gaps: number[][] = [];
  const decisions: Array<{ decision: string; grounds: number[]; motivation: string | null }> = [];
  const activities: Activities = {
    lookUpStateRecords: jest.fn(async () => ({ education: true, employment: true })),
    recordApplication: jest.fn(async () => {}),
    loadCalendarOverrides: jest.fn(async () => []),
    reportCalendarGap: jest.fn(async ({ years }) => void gaps.push(years)),
    recordStage: jest.fn(async (s) => void stages.push(s)),
    recordDecision: jest.fn(async (d) => void decisions.push(d)),
    issueNotice: jest.fn(async ({ kind }) => {
      notices.push(kind);
      return { noticeIds: [`n-${notices.length}`], kind, createdAt: new Date().toISOString() };
    }),
  };
  return { activities, stages, notices, gaps, decisions };
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

/** Polls the status query until the workflow has got as far as the test needs. */
async function until(handle: WorkflowHandle, reached: (s: ApplicationStatus) => boolean): Promise<ApplicationStatus> {
  for (let i = 0; i < 400; i++) {
    const status = await handle.query(statusQuery);
    if (reached(status)) return status;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the workflow did not reach the expected status: ${JSON.stringify(await handle.query(statusQuery))}`);
}

/** The next Friday 19:00 (Asia/Almaty) after the test server's clock whose Friday and Monday are working days. */
async function nextOrdinaryFridayEvening(): Promise<Date> {
  let day = DateTime.fromMillis(await env.currentTimeMs(), { zone: ZONE }).startOf('day').plus({ days: 1 });
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
      const handle = await client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${input.applicationId}`, args: [input] });
      await until(handle, (s) => s.state === 'waiting-for-registration');

      await skipTo(monday.plus({ seconds: 1 }).toJSDate());
      const registered = await until(handle, (s) => s.state === 'under-review');
      expect(formatInstant(new Date(registered.registeredAt!))).toBe(monday.toISO({ suppressMilliseconds: true }));
      const tuesdayClose = calendar.deadline(monday.toJSDate(), 1);
      expect(registered.decisionDueAt).toBe(tuesdayClose.toISOString());
      expect(formatInstant(tuesdayClose).slice(11)).toBe('18:30:00+05:00');

      await handle.executeUpdate(decideUpdate, { args: [decision] });
      const result = await handle.result();
      expect(result.state).toBe('closed');
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
      const handle = await client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${input.applicationId}`, args: [input] });
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
      const handle = await client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${input.applicationId}`, args: [input] });
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
      const handle = await client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${input.applicationId}`, args: [input] });
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
      expect((await handle.result()).state).toBe('closed');
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
      const handle = await client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${input.applicationId}`, args: [input] });
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
      const handle = await client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${input.applicationId}`, args: [input] });
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
      const a = await client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${first.applicationId}`, args: [first] });
      await until(a, (s) => s.state === 'under-review');
      expect((await a.executeUpdate(withdrawUpdate, { args: [{}] })).state).toBe('withdrawn');
      await expect(a.result()).resolves.toMatchObject({ state: 'withdrawn', decision: null });
      await recordHistory(a, 'withdrawn-under-review');

      const b = await client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${second.applicationId}`, args: [second] });
      await until(b, (s) => s.state === 'under-review');
      await b.executeUpdate(decideUpdate, { args: [decision] });
      await expect(b.executeUpdate(withdrawUpdate, { args: [{}] })).rejects.toThrow(WorkflowUpdateFailedError);
      expect((await b.result()).state).toBe('closed');
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
        const handle = await client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${input.applicationId}`, args: [input] });
        await skipTo(new Date(calendar.registrationMoment(now).getTime() + 1000));
        const status = await until(handle, (s) => s.state === 'under-review' || s.state === 'closed');
        if (status.state === 'under-review') {
          await handle.terminate('went to review');
          return { state: status.state, decisions: fake.decisions, notices: fake.notices };
        }
        await handle.result();
        const testName = (expect.getState().currentTestName ?? '').split('(R9)').pop()!;
        await recordHistory(handle, `refused-automatically-${testName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`);
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
      const outcome = await outcomeOf({ category: 'researcher', channel: 'portal', documents: [], essay: essayOf(10) }, { education: false, employment: true });
      expect(outcome).toMatchObject({ state: 'closed', refusalGrounds: [2] });
      const motivation = outcome.decisions[0].motivation!;
      expect(motivation).toContain('эссе содержит 10 слов');
      expect(motivation).toContain('сертификат о прохождении курсов повышения квалификации');
      expect(motivation).toContain('документ об образовании (в информационных системах сведений нет)');
      expect(motivation).not.toContain('документ, подтверждающий трудовую деятельность');
    });

    test('a document the systems lack is no defect when the applicant attached it (R8)', async () => {
      const documents = [...sampleSubmission({ category: 'master' }).documents, { kind: 'diploma' as const, fileName: 'd.pdf', sha256: 'b'.repeat(64) }];
      const outcome = await outcomeOf({ category: 'master', channel: 'portal', documents }, { education: false, employment: true });
      expect(outcome.state).toBe('under-review');
    });
  });

  test('a submission outside the campaign window is refused at the workflow boundary too (R10)', async () => {
    const { activities } = fakeActivities();
    const input = sampleInput('2026-11-23T10:00:00+05:00', { academicYear: '2027-2028' });
    await withWorker(activities, async (taskQueue) => {
      const handle = await client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${input.applicationId}`, args: [input] });
      await expect(handle.result()).rejects.toThrow();
      const history = await handle.fetchHistory();
      expect(JSON.stringify(history)).toContain('outside the campaign window for 2027-2028 (R10)');
    });
    expect(activities.recordApplication).not.toHaveBeenCalled();
  });

  test('an invalid application is refused at the workflow boundary too', async () => {
    const { activities } = fakeActivities();
    const input = { ...sampleInput('2026-11-23T10:00:00+05:00'), category: 'boss' as never };
    await withWorker(activities, async (taskQueue) => {
      const handle = await client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${input.applicationId}`, args: [input] });
      await expect(handle.result()).rejects.toThrow();
      await recordHistory(handle, 'invalid-application');
    });
    expect(activities.recordApplication).not.toHaveBeenCalled();
  });
});
