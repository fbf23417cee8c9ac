/**
 * Complaints under time skipping (R13): registration by R7, their own clocks, escalation, the reopened review.
 * The harness is test/helpers/workflow-harness.ts.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import { DateTime } from 'luxon';
import { WorkingCalendar, ZONE, formatInstant } from '../domain/calendar';
import { filedComplaint, type ComplaintDecision } from '../domain/complaint';
import { complaintWorkflow } from '../workflows/complaint';
import {
  complaintStatusQuery,
  decideComplaintUpdate,
  decideUpdate,
  fileComplaintUpdate,
  forwardComplaintUpdate,
  statusQuery,
  type FiledComplaint,
} from '../workflows/messages';
import { sampleInput } from './helpers/applications';
import { eventually } from './helpers/http';
import {
  at,
  complaintPeriodEnd,
  dateOf,
  deadline,
  formatLocal,
  fridayEveningBeforeHolidayAfter,
  isWorkingDay,
  lastDateBefore,
  registrationMoment,
  serviceDue,
} from './helpers/clock';
import {
  fakeActivities,
  withWorker,
  recordHistory,
  skipTo,
  startApplication,
  until,
  untilQuery,
  untilDecidable,
  expectRefused,
  closeAfterComplaintPeriod,
  nextOrdinaryMondayMorning,
  decision,
  serverTime,
  testClient,
  freshServerPerTest,
} from './helpers/workflow-harness';

freshServerPerTest();

describe('complaints (R13, time skipping)', () => {
  const complaintText = 'The refusal ignores the diploma I attached.';
  const refusal = {
    decision: 'refuse' as const,
    grounds: [1] as [1],
    motivation: { kk: 'The diploma could not be verified. (kk)', ru: 'The diploma could not be verified.' },
    official: 'Head of the department',
  };

  /** Submits an application at `at` (a working moment), decides it at once, and waits for the delivered result. */
  async function deliveredResult(
    taskQueue: string,
    at: Date,
    d: typeof decision | { decision: 'refuse'; grounds: [1]; motivation: { kk: string; ru: string }; official: string },
  ) {
    const input = sampleInput(at.toISOString());
    const handle = await startApplication(taskQueue, input);
    await until(handle, (s) => s.state === 'under-review');
    await handle.executeUpdate(decideUpdate, { args: [d] });
    await until(handle, (s) => s.state === 'notified');
    return handle;
  }

  /** A refusal delivered on an ordinary Monday, and a complaint against it filed through the provider at once. */
  async function filedThroughTheProvider(
    fake: ReturnType<typeof fakeActivities>,
    run: (c: { handle: Awaited<ReturnType<typeof deliveredResult>>; filed: FiledComplaint }) => Promise<void>,
  ) {
    const monday = await nextOrdinaryMondayMorning();
    await skipTo(monday);
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await deliveredResult(taskQueue, monday, refusal);
      const filed = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'provider', text: complaintText, submittedAt: new Date(await serverTime()).toISOString() }],
      });
      await run({ handle, filed });
    });
  }

  test('two complaints filed on a Friday evening before a holiday register after it, keep their own clocks, and the late one escalates', async () => {
    const fake = fakeActivities();
    // A long weekend from the published calendar, a week or more ahead, and a working morning before it.
    const friday = fridayEveningBeforeHolidayAfter(new Date((await serverTime()) + 7 * 86_400_000));
    const submitAt = at(lastDateBefore(new Date(friday.getTime() - 3 * 86_400_000), isWorkingDay), 10);
    await skipTo(submitAt);
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await deliveredResult(taskQueue, submitAt, decision);
      await skipTo(friday);
      const filedAt = friday.toISOString();
      const toProvider = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'provider', text: complaintText, submittedAt: filedAt }],
      });
      const toAuthority = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'quality-authority', text: complaintText, submittedAt: filedAt }],
      });
      // After the weekend and the Monday off: the next working 09:00 (R7); 5 and 15 working days from then (R13),
      // all by the published calendar.
      const registered = registrationMoment(friday);
      expect(dateOf(registered) > dateOf(new Date(friday.getTime() + 3 * 86_400_000))).toBe(true);
      expect(formatInstant(new Date(toProvider.registeredAt))).toBe(formatLocal(registered));
      expect(formatInstant(new Date(toAuthority.registeredAt))).toBe(formatLocal(registered));
      expect(formatInstant(new Date(toProvider.dueAt))).toBe(formatLocal(deadline(registered, 5)));
      expect(formatInstant(new Date(toAuthority.dueAt))).toBe(formatLocal(deadline(registered, 15)));
      const provider = testClient().workflow.getHandle(toProvider.workflowId);
      const authority = testClient().workflow.getHandle(toAuthority.workflowId);
      expect((await untilQuery(provider, complaintStatusQuery, (c) => c.state === 'waiting-for-registration')).addressee).toBe('provider');
      expect((await until(handle, (s) => s.state === 'contested')).complaints).toHaveLength(2);

      // The provider decides inside its term: no escalation; the authority's clock runs on.
      await skipTo(new Date(Date.parse(toProvider.registeredAt) + 1000));
      await untilDecidable(provider);
      const rejected = await provider.executeUpdate(decideComplaintUpdate, {
        args: [
          {
            outcome: 'rejected',
            motivation: { kk: 'The diploma was considered; the refusal stands. (kk)', ru: 'The diploma was considered; the refusal stands.' },
            official: 'Head of department',
          },
        ],
      });
      expect(rejected).toMatchObject({ state: 'rejected', overdue: false });
      await expect(provider.result()).resolves.toMatchObject({ state: 'decided', outcome: 'rejected' });
      await skipTo(new Date(Date.parse(toProvider.dueAt) + 60_000));
      expect(await authority.query(complaintStatusQuery)).toMatchObject({ state: 'under-review', overdue: false });
      expect((await until(handle, (s) => s.complaints.some((c) => c.outcome === 'rejected'))).state).toBe('contested');

      // The authority misses its 15 working days: flagged and escalated, and the review is still owed.
      await skipTo(new Date(Date.parse(toAuthority.dueAt) + 60_000));
      expect(await untilQuery(authority, complaintStatusQuery, (c) => c.overdue)).toMatchObject({ state: 'under-review' });
      await eventually(async () => fake.complaintStages.some((st) => st.overdue), Boolean);
      expect(fake.complaintStages).toContainEqual({ complaintId: toAuthority.complaintId, state: 'under-review', overdue: true });
      expect(fake.complaintStages.filter((s) => s.overdue).map((s) => s.complaintId)).toEqual([toAuthority.complaintId]);
      await authority.executeUpdate(decideComplaintUpdate, {
        args: [
          {
            outcome: 'partly-upheld',
            motivation: {
              kk: 'The provider answered late; the refusal stands on its merits. (kk)',
              ru: 'The provider answered late; the refusal stands on its merits.',
            },
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
    await skipTo(monday);
    await withWorker(fake.activities, async (taskQueue) => {
      // No complaint before there is a result.
      const early = sampleInput(monday.toISOString());
      const pending = await startApplication(taskQueue, early);
      await until(pending, (s) => s.state === 'under-review');
      await expectRefused(
        pending.executeUpdate(fileComplaintUpdate, {
          args: [{ addressee: 'provider', text: complaintText, submittedAt: monday.toISOString() }],
        }),
        /still under-review; a complaint against its result can be filed once the result is delivered/,
      );
      await pending.terminate('test over');

      const handle = await deliveredResult(taskQueue, monday, {
        decision: 'refuse',
        grounds: [1],
        motivation: { kk: 'the diploma could not be verified (kk)', ru: 'the diploma could not be verified' },
        official: 'Head',
      });
      const filedAt = new Date(await serverTime());
      const filed = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'provider', text: complaintText, submittedAt: filedAt.toISOString() }],
      });
      expect(filed.registeredAt).toBe(registrationMoment(filedAt).toISOString());
      const complaint = testClient().workflow.getHandle(filed.workflowId);
      await untilDecidable(complaint, 'provider');
      await complaint.executeUpdate(decideComplaintUpdate, {
        args: [
          {
            outcome: 'upheld',
            motivation: { kk: 'The diploma is in the register; review again. (kk)', ru: 'The diploma is in the register; review again.' },
            official: 'Head of department',
          },
        ],
      });

      const reopenedAt = new Date(await serverTime());
      const reopened = await until(handle, (s) => s.state === 'under-review');
      expect(reopened).toMatchObject({ round: 2, decision: null, overdue: false });
      expect(reopened.supersededResults).toEqual([expect.objectContaining({ round: 1, decision: 'refuse' })]);
      // one working day of working time from the reopening, which came a moment before `reopenedAt` was read
      expect(Math.abs(Date.parse(reopened.decisionDueAt!) - serviceDue(registrationMoment(reopenedAt)).getTime())).toBeLessThanOrEqual(60_000);
      // The status moves before the stage's activity has run: wait for the report of the new round.
      await eventually(async () => fake.stages.some((st) => st.round === 2), Boolean);
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
    await skipTo(monday);
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await deliveredResult(taskQueue, monday, decision);
      const { complaintPeriodEndsAt, notifiedAt } = await handle.query(statusQuery);
      // Three months from the delivery, to the end of that day, or of the next working day when it is a day off
      // (Administrative Procedural Code art. 92 §1), by the published calendar.
      expect(complaintPeriodEndsAt).toBe(complaintPeriodEnd(new Date(notifiedAt!)).toISOString());
      expect(formatInstant(new Date(complaintPeriodEndsAt!)).slice(11)).toBe('23:59:59+05:00');
      const end = DateTime.fromISO(complaintPeriodEndsAt!, { zone: ZONE });
      const late = end.plus({ seconds: 1 }).toJSDate().toISOString();
      await expectRefused(
        handle.executeUpdate(fileComplaintUpdate, { args: [{ addressee: 'provider', text: complaintText, submittedAt: late }] }),
        /must not be in the future/,
      );
      expect((await closeAfterComplaintPeriod(handle)).preTrialCompletedAt).toBeNull();
      // Its workflow has ended: there is no case to take an update (the API files a late complaint outside it).
      const afterwards = new Date(await serverTime()).toISOString();
      await expect(
        handle.executeUpdate(fileComplaintUpdate, { args: [{ addressee: 'provider', text: complaintText, submittedAt: afterwards }] }),
      ).rejects.toThrow(WorkflowNotFoundError);
    });
    expect(fake.notices).toEqual(['acceptance']);
  });

  test("a complaint against the provider's inaction is taken while the decision is overdue; upheld, it orders the decision at once", async () => {
    const fake = fakeActivities();
    const monday = await nextOrdinaryMondayMorning();
    await skipTo(monday);
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, sampleInput(monday.toISOString()));
      const { decisionDueAt } = await until(handle, (s) => s.state === 'under-review');
      const inaction = { addressee: 'provider' as const, subject: 'inaction' as const, text: 'No decision has been taken on my application.' };
      // Within the term there is no inaction to contest.
      await expectRefused(
        handle.executeUpdate(fileComplaintUpdate, { args: [{ ...inaction, submittedAt: new Date(await serverTime()).toISOString() }] }),
        /against the provider's inaction is filed while its decision is overdue/,
      );
      await skipTo(new Date(Date.parse(decisionDueAt!) + 60 * 60_000));
      await until(handle, (s) => s.overdue);
      const filed = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ ...inaction, submittedAt: new Date(await serverTime()).toISOString() }],
      });
      expect(filed).toMatchObject({ addressee: 'provider', subject: 'inaction', late: false });
      // Registered and timed like any other (R7, R13): 5 working days for the provider.
      expect(filed.dueAt).toBe(deadline(new Date(filed.registeredAt), 5).toISOString());
      const review = await until(handle, (s) => s.complaints.length === 1);
      expect(review).toMatchObject({ state: 'under-review', overdue: true, decision: null });

      const complaint = testClient().workflow.getHandle(filed.workflowId);
      await skipTo(new Date(Date.parse(filed.registeredAt) + 60_000));
      await untilDecidable(complaint, 'provider');
      const decided = await complaint.executeUpdate(decideComplaintUpdate, {
        args: [
          {
            outcome: 'upheld',
            motivation: { kk: 'The term has passed without a decision. (kk)', ru: 'The term has passed without a decision.' },
            official: 'Head of the department',
          },
        ],
      });
      const ordered = await until(handle, (s) => s.decisionOrderedAt !== undefined);
      expect(ordered).toMatchObject({ state: 'under-review', overdue: true, decisionDueAt: decided.decidedAt, decisionOrderedAt: decided.decidedAt });
      // Reported and escalated again: the order to decide at once, still owed.
      expect(fake.stages.filter((st) => st.overdue).map((st) => st.occurrence)).toEqual([undefined, 'ordered-1-r1']);
      await handle.executeUpdate(decideUpdate, { args: [decision] });
      const notified = await until(handle, (s) => s.state === 'notified');
      // The complaint against the inaction reopens nothing: the decision it asked for is the one delivered.
      expect(notified).toMatchObject({ decision: 'accept', round: 1 });
      await closeAfterComplaintPeriod(handle);
      await recordHistory(handle, 'complaint-against-inaction-orders-decision');
    });
    // a complaint was heard, so the cabinet gets the record of the pre-trial stage too
    expect(fake.notices).toEqual(['complaint-decision', 'acceptance', 'pre-trial-record']);
  });

  test('a complaint after the period is registered as late and considered on its merits: not restored, rejected; restored, considered like any other (APPK art. 92 §2–3)', async () => {
    const fake = fakeActivities();
    const monday = await nextOrdinaryMondayMorning();
    await skipTo(monday);
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await deliveredResult(taskQueue, monday, refusal);
      const { complaintPeriodEndsAt } = await handle.query(statusQuery);
      // A complaint to the authority on the period's last day keeps the stage open past it (15 working days).
      const lastDay = DateTime.fromISO(complaintPeriodEndsAt!, { zone: ZONE }).set({ hour: 10 });
      await skipTo(lastDay.toJSDate());
      const inTime = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'quality-authority', text: complaintText, submittedAt: lastDay.toJSDate().toISOString() }],
      });
      expect(inTime.late).toBe(false);

      const fileLate = async () => {
        const at = new Date(await serverTime()).toISOString();
        return handle.executeUpdate(fileComplaintUpdate, {
          args: [{ addressee: 'provider', text: complaintText, submittedAt: at, restorationReason: 'I was in hospital until last week.' }],
        });
      };
      const decideOn = async (filed: { workflowId: string; registeredAt: string }, d: Pick<ComplaintDecision, 'outcome' | 'periodRestored'>) => {
        const complaint = testClient().workflow.getHandle(filed.workflowId);
        await skipTo(new Date(Date.parse(filed.registeredAt) + 60_000));
        await untilDecidable(complaint);
        return complaint.executeUpdate(decideComplaintUpdate, {
          args: [{ motivation: { kk: 'Considered. (kk)', ru: 'Considered.' }, official: 'Head of the department', ...d }],
        });
      };
      await skipTo(new Date(Date.parse(complaintPeriodEndsAt!) + 2 * 24 * 3600_000));
      const notRestored = await fileLate();
      expect(notRestored).toMatchObject({ late: true, subject: 'result' });
      const complaint = testClient().workflow.getHandle(notRestored.workflowId);
      expect(await complaint.query(complaintStatusQuery)).toMatchObject({ late: true, restorationReason: 'I was in hospital until last week.' });
      // The decision must say whether the period is restored; not restored, the complaint is considered and may be
      // rejected for it, never left without consideration for its lateness alone (§3).
      await skipTo(new Date(Date.parse(notRestored.registeredAt) + 60_000));
      await untilDecidable(complaint);
      await expectRefused(
        complaint.executeUpdate(decideComplaintUpdate, {
          args: [{ outcome: 'rejected', motivation: { kk: 'Late. (kk)', ru: 'Late.' }, official: 'Head' }],
        }),
        /says whether the period is restored/,
      );
      await expectRefused(
        complaint.executeUpdate(decideComplaintUpdate, {
          args: [
            {
              outcome: 'left-without-consideration' as 'rejected',
              periodRestored: false,
              motivation: { kk: 'Late. (kk)', ru: 'Late.' },
              official: 'Head',
            },
          ],
        }),
        /a missed period is no ground to leave it without consideration \(APPK art\. 92 §3\)/,
      );
      const rejected = await decideOn(notRestored, { outcome: 'rejected', periodRestored: false });
      expect(rejected).toMatchObject({ state: 'rejected', periodRestored: false });
      await expect(complaint.result()).resolves.toMatchObject({ state: 'decided', outcome: 'rejected' });

      // A second complaint to the body whose first is decided, and a third beside it while it is open: both registered.
      await until(handle, (s) => s.complaints.some((c) => c.outcome === 'rejected'));
      const restored = await fileLate();
      const beside = await fileLate();
      expect([restored.late, beside.late]).toEqual([true, true]);
      expect(beside.complaintId).not.toBe(restored.complaintId);
      // restored, it is considered like any other (an upheld one would reopen the review: tested above)
      expect(await decideOn(restored, { outcome: 'partly-upheld', periodRestored: true })).toMatchObject({
        outcome: 'partly-upheld',
        periodRestored: true,
      });
      await decideOn(beside, { outcome: 'rejected', periodRestored: true });
      await decideOn(inTime, { outcome: 'rejected' });
      const closed = await handle.result();
      expect(closed.state).toBe('closed');
      expect(closed.complaints.map((c) => [c.addressee, c.late ?? false, c.outcome])).toEqual([
        ['quality-authority', false, 'rejected'],
        ['provider', true, 'rejected'],
        ['provider', true, 'partly-upheld'],
        ['provider', true, 'rejected'],
      ]);
      await recordHistory(handle, 'complaint-late-rejected-or-restored');
    });
  });

  /** A refused case whose complaint period ran out: closed, its workflow completed (R13). */
  async function refusedAndClosed(taskQueue: string, at: Date) {
    const application = sampleInput(at.toISOString());
    const first = await startApplication(taskQueue, application);
    await until(first, (s) => s.state === 'under-review');
    await first.executeUpdate(decideUpdate, { args: [refusal] });
    const closed = await closeAfterComplaintPeriod(first);
    expect(closed).toMatchObject({ state: 'closed', decision: 'refuse', round: 1 });
    return { application, closed, firstRunId: first.firstExecutionRunId };
  }

  /**
   * A complaint filed after the period against the closed case, as the API files it outside the finished case
   * (client/api/late-complaints.ts), and upheld with the period restored.
   */
  async function upheldAgainstTheClosedCase(taskQueue: string, application: { applicationId: string; providerUnit: string }) {
    const filedAt = new Date(await serverTime());
    const { input: late, start } = filedComplaint(
      { addressee: 'quality-authority', text: complaintText, submittedAt: filedAt.toISOString(), restorationReason: 'I was in hospital.' },
      {
        complaintId: randomUUID(),
        applicationId: application.applicationId,
        providerUnit: application.providerUnit,
        contestedRound: 1,
        late: true,
        caseClosed: true,
      },
      new WorkingCalendar(),
    );
    const complaint = await testClient().workflow.start(complaintWorkflow, { ...start, taskQueue, args: [late] });
    await skipTo(new Date(Date.parse(late.registeredAt) + 60_000));
    await untilDecidable(complaint);
    const upheld = await complaint.executeUpdate(decideComplaintUpdate, {
      args: [
        {
          outcome: 'upheld',
          periodRestored: true,
          motivation: { kk: 'Restored; the diploma is genuine. (kk)', ru: 'Restored; the diploma is genuine.' },
          official: 'Head of the department',
        },
      ],
    });
    await expect(complaint.result()).resolves.toMatchObject({ state: 'decided', outcome: 'upheld' });
    return { late, complaint, upheld };
  }

  test('a complaint upheld against a closed case takes it back to review in a new run: the result superseded, a new term, decided, and closed again with its own pre-trial record (R13, APPK art. 92)', async () => {
    const fake = fakeActivities();
    const monday = await nextOrdinaryMondayMorning();
    await skipTo(monday);
    await withWorker(fake.activities, async (taskQueue) => {
      const { application, closed } = await refusedAndClosed(taskQueue, monday);
      // The store finds the case closed with that result and the teacher's year free (infra/case-store).
      jest.mocked(fake.activities.reopenClosedCase).mockResolvedValue({ reopens: true, input: application, view: closed });
      const { late, complaint, upheld } = await upheldAgainstTheClosedCase(taskQueue, application);
      expect(fake.activities.reopenClosedCase).toHaveBeenCalledWith({ applicationId: application.applicationId, contestedRound: 1 });

      // The case's new run, under the same id: under review again, the refusal superseded, a new term.
      const again = testClient().workflow.getHandle(`application-${application.applicationId}`);
      const reopened = await until(again, (s) => s.state === 'under-review' && s.round === 2);
      expect(reopened).toMatchObject({
        decision: null,
        overdue: false,
        complaintPeriodEndsAt: null,
        preTrialCompletedAt: null,
        supersededResults: [{ round: 1, decision: 'refuse' }],
        complaints: [{ complaintId: late.complaintId, addressee: 'quality-authority', late: true, outcome: 'upheld' }],
      });
      const reopenedAt = new Date(upheld.decidedAt!);
      expect(Math.abs(Date.parse(reopened.decisionDueAt!) - serviceDue(registrationMoment(reopenedAt)).getTime())).toBeLessThanOrEqual(60_000);
      expect(Date.parse(reopened.decisionDueAt!)).toBeGreaterThan(Date.parse(closed.complaintPeriodEndsAt!));

      await again.executeUpdate(decideUpdate, { args: [decision] });
      const notified = await until(again, (s) => s.state === 'notified');
      expect(notified).toMatchObject({ decision: 'accept', round: 2 });
      const closedAgain = await closeAfterComplaintPeriod(again);
      expect(closedAgain.preTrialCompletedAt).toEqual(expect.any(String));
      expect(fake.noticeRequests.map((r) => [r.kind, r.round ?? 1])).toEqual([
        ['refusal', 1],
        ['complaint-decision', 1],
        ['acceptance', 2],
        ['pre-trial-record', 2],
      ]);
      // the new run's reports are its own: none swallowed by the first run's keys
      expect(fake.stages.filter((st) => st.state === 'closed').map((st) => st.occurrence ?? null)).toEqual([null, 'r2']);
      await recordHistory(complaint, 'complaint-upheld-against-closed-case');
      await recordHistory(again, 'closed-case-reopened-by-upheld-complaint');
    });
  });

  test('a complaint upheld against a closed case whose year a newer application holds reopens nothing: no new run (R10)', async () => {
    const fake = fakeActivities();
    const monday = await nextOrdinaryMondayMorning();
    await skipTo(monday);
    await withWorker(fake.activities, async (taskQueue) => {
      const { application, firstRunId } = await refusedAndClosed(taskQueue, monday);
      const newer = '00000000-0000-8000-8000-0000000000ff';
      jest.mocked(fake.activities.reopenClosedCase).mockResolvedValue({ reopens: false, why: 'year-held', heldBy: newer });
      await upheldAgainstTheClosedCase(taskQueue, application);
      // its decision is issued (and says the newer application holds the year: domain/notices.ts), the case stays closed
      expect(fake.notices).toEqual(['refusal', 'complaint-decision']);
      // Nothing runs under the case's id again (the test server may have let the completed run go already), and no
      // stage of a second round was recorded.
      const latest = await testClient()
        .workflow.getHandle(`application-${application.applicationId}`)
        .describe()
        .then(
          (d) => ({ runId: d.runId, status: d.status.name }),
          (error: unknown) => (error instanceof WorkflowNotFoundError ? null : Promise.reject(error)),
        );
      expect([null, JSON.stringify({ runId: firstRunId, status: 'COMPLETED' })]).toContain(latest && JSON.stringify(latest));
      expect(fake.stages.filter((st) => (st.round ?? 1) > 1)).toEqual([]);
    });
  });

  test('a complaint filed on the last day of the period and taken after midnight is in time (filed is filed, APPK art. 92 §1)', async () => {
    const fake = fakeActivities();
    const monday = await nextOrdinaryMondayMorning();
    await skipTo(monday);
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await deliveredResult(taskQueue, monday, refusal);
      const { complaintPeriodEndsAt } = await handle.query(statusQuery);
      // One complaint earlier on the last day keeps the case open past midnight.
      const lastDay = DateTime.fromISO(complaintPeriodEndsAt!, { zone: ZONE });
      await skipTo(lastDay.set({ hour: 10 }).toJSDate());
      await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'quality-authority', text: complaintText, submittedAt: lastDay.set({ hour: 10 }).toJSDate().toISOString() }],
      });
      const filedAt = lastDay.set({ hour: 23, minute: 50 }).toJSDate();
      // the case takes it twenty minutes later, on the next day
      await skipTo(new Date(filedAt.getTime() + 20 * 60_000));
      const filed = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'provider', text: complaintText, submittedAt: filedAt.toISOString() }],
      });
      expect(filed.late).toBe(false);
      expect((await until(handle, (s) => s.complaints.length === 2)).complaints[1]).not.toHaveProperty('late');
    });
  });

  test("the authority's decision on lateness leaves the result contestable: a complaint against it is registered and the stage ends only after its review (APPK art. 91–92)", async () => {
    const fake = fakeActivities();
    const monday = await nextOrdinaryMondayMorning();
    await skipTo(monday);
    await withWorker(fake.activities, async (taskQueue) => {
      const input = sampleInput(monday.toISOString());
      const handle = await startApplication(taskQueue, input);
      const { decisionDueAt } = await until(handle, (s) => s.state === 'under-review');
      // decided a day after its term: its lateness may be contested
      await skipTo(new Date(Date.parse(decisionDueAt!) + 24 * 3600_000));
      await until(handle, (s) => s.overdue);
      await handle.executeUpdate(decideUpdate, { args: [refusal] });
      await until(handle, (s) => s.state === 'notified');
      const now = async () => new Date(await serverTime()).toISOString();
      const lateness = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'quality-authority', subject: 'lateness', text: 'The decision came a day late.', submittedAt: await now() }],
      });
      const review = testClient().workflow.getHandle(lateness.workflowId);
      await skipTo(new Date(Date.parse(lateness.registeredAt) + 60_000));
      await untilQuery(review, complaintStatusQuery, (c) => c.state === 'under-review');
      await review.executeUpdate(decideComplaintUpdate, {
        args: [
          {
            outcome: 'upheld',
            motivation: { kk: 'The term was missed by a day. (kk)', ru: 'The term was missed by a day.' },
            official: 'Head of the department',
          },
        ],
      });
      // The case stays open for the result itself.
      const afterLateness = await until(handle, (s) => s.complaints[0]?.outcome === 'upheld' && s.state === 'notified');
      expect(afterLateness.preTrialCompletedAt).toBeNull();
      const against = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ addressee: 'quality-authority', subject: 'result', text: complaintText, submittedAt: await now() }],
      });
      expect(against).toMatchObject({ subject: 'result', late: false });
      const second = testClient().workflow.getHandle(against.workflowId);
      await skipTo(new Date(Date.parse(against.registeredAt) + 60_000));
      await untilQuery(second, complaintStatusQuery, (c) => c.state === 'under-review');
      expect((await handle.query(statusQuery)).state).toBe('contested');
      await second.executeUpdate(decideComplaintUpdate, {
        args: [
          {
            outcome: 'rejected',
            motivation: { kk: 'The diploma was examined. (kk)', ru: 'The diploma was examined.' },
            official: 'Head of the department',
          },
        ],
      });
      // The authority has decided on the result: the stage is over before its period ends.
      const closed = await handle.result();
      expect(closed.state).toBe('closed');
      expect(Date.parse(closed.preTrialCompletedAt!)).toBeLessThan(Date.parse(closed.complaintPeriodEndsAt!));
      await recordHistory(handle, 'complaint-lateness-then-result');
    });
    expect(fake.notices).toEqual(['refusal', 'complaint-decision', 'complaint-decision', 'pre-trial-record']);
  });

  describe('through the provider to the body above it (APPK art. 91 §4, 002 §18)', () => {
    const statusOf = (workflowId: string) => testClient().workflow.getHandle(workflowId);
    const rejection = {
      outcome: 'rejected' as const,
      motivation: { kk: 'The diploma was examined; the refusal stands. (kk)', ru: 'The diploma was examined; the refusal stands.' },
      official: 'Head of the city department',
    };

    test("a complaint to the provider is with it 3 working days; it satisfies it in full, and its decision is the provider's", async () => {
      const fake = fakeActivities();
      await filedThroughTheProvider(fake, async ({ handle, filed }) => {
        // 5 working days from registration for the body above; the provider's first 3 of them
        expect(filed.dueAt).toBe(deadline(new Date(filed.registeredAt), 5).toISOString());
        const complaint = statusOf(filed.workflowId);
        const withProvider = await untilQuery(complaint, complaintStatusQuery, (c) => c.state === 'with-provider');
        expect(withProvider.providerDueAt).toBe(deadline(new Date(filed.registeredAt), 3).toISOString());
        // it never rejects a complaint against its own act, and the body above waits for the forwarding
        await expectRefused(
          complaint.executeUpdate(decideComplaintUpdate, { args: [rejection, { as: 'provider' }] }),
          /satisfied in full \(upheld\) or forwarded/,
        );
        await expectRefused(
          complaint.executeUpdate(decideComplaintUpdate, { args: [{ ...rejection, outcome: 'upheld' }, { as: 'reviewing-body' }] }),
          /the body above decides it once it is forwarded/,
        );
        const satisfied = await complaint.executeUpdate(decideComplaintUpdate, {
          args: [
            {
              outcome: 'upheld',
              motivation: {
                kk: 'The diploma is in the register; the refusal is withdrawn. (kk)',
                ru: 'The diploma is in the register; the refusal is withdrawn.',
              },
              official: 'Head of the school',
            },
            { as: 'provider' },
          ],
        });
        expect(satisfied).toMatchObject({ state: 'upheld', decidedBy: 'provider', forwardedAt: null });
        await expect(complaint.result()).resolves.toMatchObject({ state: 'decided', outcome: 'upheld', decidedBy: 'provider' });
        // satisfied against the result: the application is decided again (R13)
        expect(await until(handle, (s) => s.state === 'under-review' && s.round === 2)).toMatchObject({ round: 2 });
        expect(fake.complaintStages.filter((st) => st.complaintId === filed.complaintId).map((st) => st.state)).toEqual(['with-provider', 'decided']);
        await recordHistory(complaint, 'complaint-satisfied-by-provider');
      });
    });

    test('not satisfied in 3 working days, it is forwarded by the service, the provider flagged; the body above decides it, and its own lateness escalates', async () => {
      const fake = fakeActivities();
      await filedThroughTheProvider(fake, async ({ filed }) => {
        const complaint = statusOf(filed.workflowId);
        const { providerDueAt } = await untilQuery(complaint, complaintStatusQuery, (c) => c.state === 'with-provider');
        await skipTo(new Date(Date.parse(providerDueAt!) + 60_000));
        const forwarded = await untilQuery(complaint, complaintStatusQuery, (c) => c.state === 'under-review');
        expect(forwarded).toMatchObject({ forwardedBy: 'service', forwardedAt: providerDueAt, overdue: false });
        expect(fake.complaintStages).toContainEqual({ complaintId: filed.complaintId, state: 'under-review', forwardedBy: 'service' });
        // the provider may no longer satisfy it, nor forward it again
        await expectRefused(
          complaint.executeUpdate(decideComplaintUpdate, { args: [{ ...rejection, outcome: 'upheld' }, { as: 'provider' }] }),
          /forwarded to the body above the provider/,
        );
        await expectRefused(complaint.executeUpdate(forwardComplaintUpdate, { args: [{ official: 'Head of the school' }] }), /was forwarded/);
        // the body above misses the 5 working days from registration: flagged and escalated up the tree, still owed
        await skipTo(new Date(Date.parse(filed.dueAt) + 60_000));
        expect(await untilQuery(complaint, complaintStatusQuery, (c) => c.overdue)).toMatchObject({ state: 'under-review' });
        await eventually(async () => fake.complaintStages.some((st) => st.overdue), Boolean);
        const decided = await complaint.executeUpdate(decideComplaintUpdate, { args: [rejection, { as: 'reviewing-body' }] });
        expect(decided).toMatchObject({ state: 'rejected', decidedBy: 'reviewing-body', forwardedBy: 'service', overdue: true });
        await expect(complaint.result()).resolves.toMatchObject({ state: 'decided', outcome: 'rejected' });
        await recordHistory(complaint, 'complaint-forwarded-on-expiry-decided-late');
      });
    });

    test('the provider forwards it itself; the body above decides it within its term', async () => {
      const fake = fakeActivities();
      await filedThroughTheProvider(fake, async ({ filed }) => {
        const complaint = statusOf(filed.workflowId);
        await untilQuery(complaint, complaintStatusQuery, (c) => c.state === 'with-provider');
        const at = await serverTime();
        expect(await complaint.executeUpdate(forwardComplaintUpdate, { args: [{ official: 'Head of the school' }] })).toMatchObject({
          state: 'with-provider',
        });
        const forwarded = await untilQuery(complaint, complaintStatusQuery, (c) => c.state === 'under-review');
        expect(forwarded.forwardedBy).toBe('provider');
        expect(Date.parse(forwarded.forwardedAt!) - at).toBeLessThan(60_000);
        expect(await complaint.executeUpdate(decideComplaintUpdate, { args: [rejection] })).toMatchObject({
          decidedBy: 'reviewing-body',
          overdue: false,
        });
        await expect(complaint.result()).resolves.toMatchObject({ outcome: 'rejected', overdue: false });
        expect(fake.complaintStages.some((st) => st.overdue)).toBe(false);
        await recordHistory(complaint, 'complaint-forwarded-by-provider');
      });
    });
  });

  test('an upheld complaint against a refusal does not reopen it once a newer application holds the year (R10)', async () => {
    const fake = fakeActivities();
    const newer = '00000000-0000-8000-8000-00000000beef';
    fake.activities.reclaimAcademicYear = jest.fn(async () => ({ heldBy: newer }));
    await filedThroughTheProvider(fake, async ({ handle, filed }) => {
      const complaint = testClient().workflow.getHandle(filed.workflowId);
      await skipTo(new Date(Date.parse(filed.registeredAt) + 60_000));
      await untilDecidable(complaint, 'provider');
      await complaint.executeUpdate(decideComplaintUpdate, {
        args: [
          {
            outcome: 'upheld',
            motivation: { kk: 'The diploma is genuine. (kk)', ru: 'The diploma is genuine.' },
            official: 'Head of the department',
          },
        ],
      });
      const kept = await until(handle, (s) => s.yearHeldBy !== undefined);
      expect(kept).toMatchObject({ state: 'notified', round: 1, decision: 'refuse', yearHeldBy: newer });
      expect(fake.activities.reclaimAcademicYear).toHaveBeenCalledTimes(1);
      await closeAfterComplaintPeriod(handle);
      await recordHistory(handle, 'complaint-upheld-year-held-by-a-newer-application');
    });
    expect(fake.notices).toEqual(['refusal', 'complaint-decision', 'pre-trial-record']);
  });
});
