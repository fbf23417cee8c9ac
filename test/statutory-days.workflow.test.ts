/**
 * Every day off of a published year, through the workflows (issue 28): the terms of R3, R13 and R14 that run
 * across each of them, on a time-skipping server whose clock starts in that year (test/helpers/workflow-env.ts).
 * The expectations are worked out from the calendar written out as published (test/fixtures/published-calendar.ts),
 * so a day off moved in the service's data (domain/calendar-data.ts) fails here, in the workflows, and not only in
 * the calendar's unit test.
 */
import { formatInstant } from '../domain/calendar';
import { decideUpdate, fileComplaintUpdate, resultCustodyUpdate } from '../workflows/messages';
import { PUBLISHED_CALENDARS } from './fixtures/published-calendar';
import { sampleInput } from './helpers/applications';
import { at, deadline, firstDateAfter, formatLocal, isWorkingDay, lastDateBefore, registrationMoment, serviceDue } from './helpers/clock';
import {
  decision,
  fakeActivities,
  freshServerPerTest,
  restartServerAt,
  skipTo,
  startApplication,
  until,
  withWorker,
} from './helpers/workflow-harness';

freshServerPerTest();

/** The last published year: its every weekday off, and the working day before each (one for a run of days off). */
const YEAR = Math.max(
  ...Object.entries(PUBLISHED_CALENDARS)
    .filter(([, y]) => y.status === 'published')
    .map(([year]) => Number(year)),
);
const DAYS_OFF = PUBLISHED_CALENDARS[YEAR].weekdaysOff;
const EVES = [...new Set(DAYS_OFF.map((day) => lastDateBefore(at(day, 12), isWorkingDay)))];

const local = (instant: string | null | undefined) => formatInstant(new Date(instant!));

/**
 * Runs `check` for each eve on a server of its own, its clock starting `daysBefore` days before the eve: the test
 * server counts a task handed out as work in progress, and one whose workflow was ended under it would keep the
 * clock from skipping, so nothing is ended and each eve starts clean.
 */
async function eachEve(daysBefore: number, check: (eve: string, taskQueue: string) => Promise<void>): Promise<void> {
  for (const eve of EVES) {
    await restartServerAt(new Date(at(eve, 8).getTime() - daysBefore * 86_400_000));
    await withWorker(fakeActivities().activities, (taskQueue) => check(eve, taskQueue));
  }
}

describe(`every day off of ${YEAR}, as published (a time-skipping server from the working day before each)`, () => {
  test(`R3, R7: a submission in hours on the working day before each day off is due at the same time on the working day after it; one after hours registers then, due at that day's close (000 §7) (${YEAR})`, async () => {
    expect(EVES.length).toBeGreaterThanOrEqual(10);
    await eachEve(0, async (eve, taskQueue) => {
      await skipTo(at(eve, 10));
      const inHours = await startApplication(taskQueue, sampleInput(at(eve, 10).toISOString()));
      const review = await until(inHours, (s) => s.state === 'under-review');
      expect([eve, local(review.registeredAt), local(review.decisionDueAt)]).toEqual([
        eve,
        formatLocal(at(eve, 10)),
        formatLocal(serviceDue(at(eve, 10))),
      ]);
      await skipTo(at(eve, 19));
      const afterHours = await startApplication(taskQueue, sampleInput(at(eve, 19).toISOString()));
      await until(afterHours, (s) => s.state === 'waiting-for-registration');
      const registration = registrationMoment(at(eve, 19));
      await skipTo(new Date(registration.getTime() + 1000));
      const registered = await until(afterHours, (s) => s.state === 'under-review');
      expect([eve, local(registered.registeredAt), local(registered.decisionDueAt)]).toEqual([
        eve,
        formatLocal(registration),
        formatLocal(serviceDue(registration)),
      ]);
    });
  });

  test(`R13, R7: complaints filed on the working days either side of each day off are registered then and due 5 working days later at the provider, 15 at the authority (${YEAR})`, async () => {
    await eachEve(0, async (eve, taskQueue) => {
      const after = firstDateAfter(at(eve, 12), (d) => d > eve && isWorkingDay(d));
      await skipTo(at(eve, 10));
      const handle = await startApplication(taskQueue, sampleInput(at(eve, 10).toISOString()));
      await until(handle, (s) => s.state === 'under-review');
      await handle.executeUpdate(decideUpdate, { args: [decision] });
      await until(handle, (s) => s.state === 'notified');
      const text = 'The acceptance names the wrong category.';
      await skipTo(at(eve, 11));
      const before = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ text, submittedAt: at(eve, 11).toISOString(), addressee: 'provider' }],
      });
      await skipTo(at(after, 11));
      const next = await handle.executeUpdate(fileComplaintUpdate, {
        args: [{ text, submittedAt: at(after, 11).toISOString(), addressee: 'quality-authority' }],
      });
      expect([eve, local(before.registeredAt), local(before.dueAt), local(next.registeredAt), local(next.dueAt)]).toEqual([
        eve,
        formatLocal(at(eve, 11)),
        formatLocal(deadline(at(eve, 11), 5)),
        formatLocal(at(after, 11)),
        formatLocal(deadline(at(after, 11), 15)),
      ]);
    });
  });

  test(`R14, R3: a result asked for again at the State Corporation on the working day before each day off is due the working day after it; a package accepted then, 3 working days after the day of acceptance (${YEAR})`, async () => {
    const earlier = (submittedAt: Date) => ({
      ...sampleInput(submittedAt.toISOString(), { category: 'master', channel: 'state-corporation', serviceLocality: 'provider-locality' }),
      standard: 'standard-1' as const,
    });
    // The clock starts six weeks before the eve: a result uncollected for a month has gone back to the provider (R14).
    await eachEve(42, async (eve, taskQueue) => {
      const start = at(lastDateBefore(new Date(at(eve, 12).getTime() - 41 * 86_400_000), isWorkingDay), 10);
      await skipTo(start);
      const uncollected = await startApplication(taskQueue, earlier(start));
      await until(uncollected, (s) => s.state === 'under-review');
      await uncollected.executeUpdate(decideUpdate, { args: [decision] });
      await until(uncollected, (s) => s.state === 'awaiting-collection');
      await skipTo(at(eve, 10));
      await until(uncollected, (s) => s.state === 'returned-to-provider');
      const requested = await uncollected.executeUpdate(resultCustodyUpdate, {
        args: [{ event: 'requested', official: 'State Corporation operator' }],
      });
      expect([eve, local(requested.custody!.resendDueAt)]).toEqual([eve, formatLocal(deadline(at(eve, 10), 1))]);
      const accepted = await startApplication(taskQueue, earlier(at(eve, 10)));
      const review = await until(accepted, (s) => s.state === 'under-review');
      expect([eve, local(review.decisionDueAt)]).toEqual([eve, formatLocal(deadline(at(eve, 10), 3))]);
    });
  });
});
