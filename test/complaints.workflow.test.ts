/**
 * Complaints under time skipping (R13): registration by R7, their own clocks, escalation, the reopened review.
 * The harness is test/helpers/workflow-harness.ts.
 */
import { DateTime } from 'luxon';
import { ZONE, formatInstant } from '../domain/calendar';
import { complaintStatusQuery, decideComplaintUpdate, decideUpdate, fileComplaintUpdate, statusQuery } from '../workflows/messages';
import { sampleInput } from './helpers/applications';
import {
  fakeActivities,
  withWorker,
  recordHistory,
  skipTo,
  startApplication,
  until,
  untilQuery,
  expectRefused,
  closeAfterComplaintPeriod,
  nextOrdinaryMondayMorning,
  calendar,
  decision,
  serverTime,
  testClient,
  freshServerPerTest,
} from './helpers/workflow-harness';

freshServerPerTest();

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
    const now = DateTime.fromMillis(await serverTime(), { zone: ZONE });
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
      const provider = testClient().workflow.getHandle(toProvider.workflowId);
      const authority = testClient().workflow.getHandle(toAuthority.workflowId);
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
    const monday = await nextOrdinaryMondayMorning();
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
      const filedAt = new Date(await serverTime());
      const filed = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'provider', text: complaintText, submittedAt: filedAt.toISOString() }],
      });
      expect(filed.registeredAt).toBe(calendar.registrationMoment(filedAt).toISOString());
      const complaint = testClient().workflow.getHandle(filed.workflowId);
      await untilQuery(complaint, complaintStatusQuery, (c) => c.state === 'under-review');
      await complaint.executeUpdate(decideComplaintUpdate, {
        args: [{ outcome: 'upheld', motivation: 'The diploma is in the register; review again.', official: 'Head of department' }],
      });

      const reopenedAt = new Date(await serverTime());
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
    const monday = await nextOrdinaryMondayMorning();
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
      const afterwards = new Date(await serverTime()).toISOString();
      await expect(
        handle.executeUpdate(fileComplaintUpdate, { args: [{ addressee: 'provider', text: complaintText, submittedAt: afterwards }] }),
      ).rejects.toThrow();
    });
    expect(fake.notices).toEqual(['acceptance']);
  });
});
