/**
 * The application workflow under time skipping: registration at the next working moment (R7), the term and its
 * breach (R3), withdrawal, and refusals at the workflow boundary (R2, R10).
 * The harness is test/helpers/workflow-harness.ts.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { DateTime } from 'luxon';
import { ZONE, formatInstant } from '../domain/calendar';
import { decideUpdate, statusQuery, withdrawUpdate } from '../workflows/messages';
import { PUBLISHED_CALENDARS } from './fixtures/published-calendar';
import { sampleInput } from './helpers/applications';
import { formatLocal, registrationMoment, serviceDue } from './helpers/clock';
import {
  fakeActivities,
  withWorker,
  recordHistory,
  skipTo,
  startApplication,
  until,
  closeAfterComplaintPeriod,
  nextOrdinaryFridayEvening,
  nextOrdinaryMondayMorning,
  decision,
  serverTime,
  freshServerPerTest,
} from './helpers/workflow-harness';

freshServerPerTest();

describe('application workflow (time skipping)', () => {
  test('registers a Friday-evening submission on Monday at 09:00, due that Monday at the close (R7, R3; 000 §7: acceptance and result on the next working day)', async () => {
    const { activities, stages, notices } = fakeActivities();
    const friday = await nextOrdinaryFridayEvening();
    const monday = DateTime.fromJSDate(friday, { zone: ZONE }).plus({ days: 3 }).set({ hour: 9 });
    expect(formatLocal(registrationMoment(friday))).toBe(monday.toISO({ suppressMilliseconds: true })); // the published calendar's plain week
    await skipTo(friday);
    const input = sampleInput(friday.toISOString());
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      await until(handle, (s) => s.state === 'waiting-for-registration');

      await skipTo(monday.plus({ seconds: 1 }).toJSDate());
      const registered = await until(handle, (s) => s.state === 'under-review');
      expect(formatInstant(new Date(registered.registeredAt!))).toBe(monday.toISO({ suppressMilliseconds: true }));
      // One working day of working time from the opening: the close of Monday's working day, 18:30 (000 §7).
      const mondayClose = monday.set({ hour: 18, minute: 30 });
      expect(registered.decisionDueAt).toBe(mondayClose.toJSDate().toISOString());

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

  test('a late-arriving submission from the eve of Nauryz registers on 26 March, due that day at the close (R7, R3, 000 §7)', async () => {
    const { activities } = fakeActivities();
    const input = sampleInput('2026-03-20T19:05:00+05:00');
    // The test server's clock only goes forward: this case is submitted "late" and registers by the calendar alone.
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const status = await until(handle, (s) => s.state === 'under-review');
      // Due long ago: overdue from the first moment it is under review, before any decision can reach it (R3).
      expect(status.overdue).toBe(true);
      expect(formatInstant(new Date(status.registeredAt!))).toBe('2026-03-26T09:00:00+05:00');
      expect(formatInstant(new Date(status.decisionDueAt!))).toBe('2026-03-26T18:30:00+05:00');
      await handle.terminate('test over');
    });
  });

  test('registers a New Year eve submission after the holidays, and reports the unconfirmed year (R7, R3)', async () => {
    const { activities, gaps } = fakeActivities();
    // Fixed data, whatever today is: 31 December 2026, 19:00. 1–2 January 2027 are holidays and 2 January is a
    // Saturday, so Monday 4 January is a day off too: registered Tuesday 5 January at 09:00, and due at that day's
    // close (000 §7: the result on the next working day). Published calendar: domain/calendar-data.ts.
    const eve = DateTime.fromISO('2026-12-31T19:00:00', { zone: ZONE });
    await skipTo(eve.toJSDate()); // a no-op once the run's clock is past it: the case then registers by the calendar alone
    const input = sampleInput(eve.toJSDate().toISOString());
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      await skipTo(DateTime.fromISO('2027-01-05T09:00:01', { zone: ZONE }).toJSDate());
      const status = await until(handle, (s) => s.state === 'under-review');
      expect(formatInstant(new Date(status.registeredAt!))).toBe('2027-01-05T09:00:00+05:00');
      expect(formatInstant(new Date(status.decisionDueAt!))).toBe('2027-01-05T18:30:00+05:00');
      // A year whose calendar is not yet published is an alert, not a silent guess; published, it is none.
      expect(gaps).toEqual(PUBLISHED_CALENDARS[2027].status === 'published' ? [] : [[2027]]);
      await handle.terminate('test over');
    });
  });

  test('an overdue decision is flagged and escalated, and the decision is still owed (R3)', async () => {
    const { activities, stages, notices } = fakeActivities();
    const now = new Date(await serverTime());
    const input = sampleInput(now.toISOString());
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const registration = registrationMoment(now);
      await until(handle, (s) => s.state === 'waiting-for-registration' || s.state === 'under-review');
      await skipTo(new Date(registration.getTime() + 1000));
      const { decisionDueAt } = await until(handle, (s) => s.state === 'under-review');
      expect(decisionDueAt).toBe(serviceDue(registration).toISOString()); // R3: one working day of working time
      await skipTo(new Date(new Date(decisionDueAt!).getTime() + 60_000));
      const late = await until(handle, (s) => s.overdue);
      expect(late.state).toBe('under-review');
      expect(stages).toContainEqual(expect.objectContaining({ overdue: true }));

      const result = await handle.executeUpdate(decideUpdate, {
        args: [
          {
            decision: 'refuse',
            grounds: [1],
            motivation: { kk: 'the diploma could not be verified (kk)', ru: 'the diploma could not be verified' },
            official: 'Head',
          },
        ],
      });
      expect(result.state).toBe('refused');
      expect((await closeAfterComplaintPeriod(handle)).state).toBe('closed');
      await recordHistory(handle, 'refused-after-overdue');
    });
    expect(notices).toEqual(['refusal']);
  });

  test('a decision before registration is refused by the update validator', async () => {
    const { activities, notices } = fakeActivities();
    const now = await serverTime();
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
      expect(await serverTime()).toBeLessThan(friday.getTime() + 3600_000); // no waiting for Monday
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

  test('the workflow trusts what the door admitted: an input admitted under a rule the door has since changed runs as admitted', async () => {
    const { activities } = fakeActivities();
    // A working Monday morning, so it registers at once whatever day the suite runs on (R7).
    const monday = await nextOrdinaryMondayMorning();
    await skipTo(monday);
    // A line break in the name, which the door refuses since issue 16: a case admitted before runs on, unpatched.
    const input = { ...sampleInput(monday.toISOString()), fullName: 'Ерлан\nЖаксылыков' };
    await withWorker(activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const reviewed = await until(handle, (s) => s.state === 'under-review');
      expect(reviewed).toMatchObject({ registeredAt: monday.toISOString(), decision: null });
      await handle.terminate('test over');
    });
    expect(activities.recordApplication).toHaveBeenCalledWith(
      input,
      expect.objectContaining({ applicationId: input.applicationId, state: 'received' }),
    );
  });
});
