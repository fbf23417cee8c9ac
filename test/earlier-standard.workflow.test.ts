/**
 * The earlier standard under time skipping: the office and the State Corporation (R3, R5, R7, R11, R14).
 * The harness is test/helpers/workflow-harness.ts.
 */
import { requiredDocuments, sampleInput } from './helpers/applications';

/** The documents the state systems would give (R8 items 2 and 4), attached by the applicant herself. */
const FROM_THE_APPLICANT = (['diploma', 'employment'] as const).map((kind) => ({ kind, fileName: `${kind}.pdf`, sha256: 'b'.repeat(64) }));
import { DateTime } from 'luxon';
import { ZONE, formatInstant } from '../domain/calendar';
import { decideComplaintUpdate, decideUpdate, fileComplaintUpdate, resultCustodyUpdate } from '../workflows/messages';
import type { Submission } from '../domain/application';
import { at, complaintPeriodEnd, deadline, firstDateAfter, plainRun, registrationMoment } from './helpers/clock';
import {
  fakeActivities,
  withWorker,
  recordHistory,
  skipTo,
  startApplication,
  until,
  untilDecidable,
  expectRefused,
  closeAfterComplaintPeriod,
  decision,
  serverTime,
  testClient,
  freshServerPerTest,
} from './helpers/workflow-harness';

freshServerPerTest();

describe('the earlier standard: office and State Corporation (standard-1, time skipping)', () => {
  const complaintText = 'The result was not explained to me.';

  /**
   * `hour` on the next `weekday` after the test server's clock that begins eleven plain days of the published
   * calendar, when the place is open by R7 (the office Monday–Friday 09:00–17:30 for applications, the State
   * Corporation Monday–Saturday 09:00–20:00).
   */
  async function nextOpen(place: 'office' | 'state-corporation', hour: number, weekday: number): Promise<DateTime> {
    const open = place === 'office' ? weekday <= 5 && hour >= 9 && hour < 17 && (hour < 13 || hour >= 15) : weekday <= 6 && hour >= 9 && hour < 20;
    expect(open).toBe(true); // the test asks for an hour the place is open
    const date = firstDateAfter(new Date(await serverTime()), (d) => DateTime.fromISO(d, { zone: ZONE }).weekday === weekday && plainRun(d, 11));
    return DateTime.fromJSDate(at(date, hour), { zone: ZONE });
  }

  const earlierInput = (submittedAt: DateTime, overrides: Partial<Submission>) => ({
    ...sampleInput(submittedAt.toJSDate().toISOString(), { category: 'master', ...overrides }),
    standard: 'standard-1' as const,
  });
  const issued = { event: 'issued' as const, to: 'applicant' as const, place: 'state-corporation' as const, official: 'State Corporation operator' };

  test('at the office: registered at once, due in 20 minutes, flagged when late, the receipt handed over (R3, R5, R7)', async () => {
    const fake = fakeActivities();
    const monday = await nextOpen('office', 10, 1);
    await skipTo(monday.toJSDate());
    // Without consent the state systems are not read (the Law on personal data, art. 8): the diploma and the
    // employment record the systems would have given come with the application (R8 items 2 and 4).
    const input = earlierInput(monday, {
      channel: 'office',
      personalDataConsent: false,
      essay: 'Эссе сдано вместе с результатом тестирования.',
      documents: [...requiredDocuments('master'), ...FROM_THE_APPLICANT],
    });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const review = await until(handle, (s) => s.state === 'under-review');
      expect(fake.activities.lookUpStateRecords).not.toHaveBeenCalled();
      // No consent ground and no essay length under the earlier standard: the case goes to the clerk (R9).
      expect(review).toEqual(expect.objectContaining({ standard: 'standard-1', channel: 'office', decision: null, custody: null }));
      expect(review.registeredAt).toBe(input.submittedAt);
      expect(formatInstant(new Date(review.decisionDueAt!))).toBe(monday.plus({ minutes: 20 }).toISO({ suppressMilliseconds: true }));
      await expectRefused(
        handle.executeUpdate(decideUpdate, {
          args: [{ decision: 'refuse', grounds: [3], motivation: { kk: 'no consent (kk)', ru: 'no consent' }, official: 'Clerk' }],
        }),
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

  test('without consent, nothing is read from the state systems and the documents they would give are asked of the applicant: missing, they are the refusal by rule (R8 items 2 and 4, R9 ground 2)', async () => {
    const fake = fakeActivities();
    const monday = await nextOpen('office', 10, 1);
    await skipTo(monday.toJSDate());
    const input = earlierInput(monday, { channel: 'office', personalDataConsent: false, documents: requiredDocuments('master') });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const refused = await until(handle, (s) => s.state === 'notified');
      expect(refused).toMatchObject({ decision: 'refuse', refusalGrounds: [2] });
      await closeAfterComplaintPeriod(handle);
      await recordHistory(handle, 'standard-1-no-consent-documents-asked-of-the-applicant');
    });
    expect(fake.activities.lookUpStateRecords).not.toHaveBeenCalled();
    expect(fake.decisions[0]?.defects).toEqual([
      { ground: 2, code: 'missing-document', document: 'diploma', notInStateSystems: false },
      { ground: 2, code: 'missing-document', document: 'employment', notInStateSystems: false },
    ]);
  });

  test('through the State Corporation: a receipt for the package, hand-over, 3 working days from a Saturday, the result issued to a representative (R3, R5, R7)', async () => {
    const fake = fakeActivities();
    const saturday = await nextOpen('state-corporation', 11, 6);
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
          args: [{ addressee: 'provider', text: complaintText, submittedAt: new Date(await serverTime()).toISOString() }],
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
      expect(collected.complaintPeriodEndsAt).toBe(complaintPeriodEnd(new Date(collected.notifiedAt!)).toISOString());
      await closeAfterComplaintPeriod(handle);
      await recordHistory(handle, 'standard-1-state-corporation-collected-by-representative');
    });
    expect(fake.notices).toEqual(['intake-receipt', 'receipt']);
    expect(fake.custody.map((c) => c.event)).toEqual(['package-handed-over', 'result-at-state-corporation', 'result-issued']);
    expect(fake.stages.map((s) => s.state)).toEqual(['under-review', 'notified', 'closed']);
  });

  test('an uncollected result goes back to the provider after a month; asked for later, it is sent again within a working day, late → flagged (R14)', async () => {
    const fake = fakeActivities();
    const tuesday = await nextOpen('state-corporation', 12, 2);
    await skipTo(tuesday.toJSDate());
    const input = earlierInput(tuesday, { channel: 'state-corporation', serviceLocality: 'elsewhere' });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      const review = await until(handle, (s) => s.state === 'under-review');
      expect(review.decisionDueAt).toBe(deadline(tuesday.toJSDate(), 7).toISOString()); // elsewhere: 7 working days (R3)
      await handle.executeUpdate(decideUpdate, {
        args: [
          {
            decision: 'refuse',
            grounds: [1],
            motivation: { kk: 'the employment record does not match the registry (kk)', ru: 'the employment record does not match the registry' },
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
      expect(requested.custody!.resendDueAt).toBe(deadline(registrationMoment(requestedAt), 1).toISOString());

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
    const thursday = await nextOpen('state-corporation', 15, 4);
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
    const monday = await nextOpen('state-corporation', 10, 1);
    await skipTo(monday.toJSDate());
    const input = earlierInput(monday, { channel: 'state-corporation', serviceLocality: 'provider-locality' });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startApplication(taskQueue, input);
      await until(handle, (s) => s.state === 'under-review');
      await handle.executeUpdate(decideUpdate, {
        args: [{ decision: 'refuse', grounds: [2], motivation: { kk: 'no employment record (kk)', ru: 'no employment record' }, official: 'Head' }],
      });
      await until(handle, (s) => s.state === 'awaiting-collection');
      await handle.executeUpdate(resultCustodyUpdate, { args: [issued] });
      const filedAt = new Date(await serverTime()).toISOString();
      const filed = await handle.executeUpdate(fileComplaintUpdate, { args: [{ addressee: 'provider', text: complaintText, submittedAt: filedAt }] });
      const complaint = testClient().workflow.getHandle(filed.workflowId);
      // the provider it was filed through satisfies it in full (APPK art. 91 §4)
      await untilDecidable(complaint, 'provider');
      await complaint.executeUpdate(decideComplaintUpdate, {
        args: [
          {
            outcome: 'upheld',
            motivation: { kk: 'The record is in the registry. (kk)', ru: 'The record is in the registry.' },
            official: 'Director',
          },
        ],
      });

      const reopenedAt = new Date(await serverTime());
      const reopened = await until(handle, (s) => s.state === 'under-review' && s.round === 2);
      expect(reopened.decisionDueAt).toBe(deadline(registrationMoment(reopenedAt), 3).toISOString());
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
});
