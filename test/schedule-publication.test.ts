/**
 * R12, its second sentence: a change of the standard schedule records when its order was adopted, and from then the
 * central body has three working days to publish it to the Unified Contact Centre. The duty is computed on the
 * working calendar (domain/standards/publication.ts), carried by the outbox to the notifier addressed to the
 * contact centre, and flagged when late: in the stuck listing while undelivered, in `cli publications` always.
 */
import { WorkingCalendar } from '../domain/calendar';
import { publicationDuties, scheduleFrom, type StandardInForce } from '../domain/standards';
import { outboxKeys } from '../infra/outbox-keys';
import { publicationRecords, recordPublicationDuties } from '../infra/schedule-publication';
import { publicationsOverdue } from '../client/inspector/stuck';
import { cliAsync } from './helpers/cli';
import { eventually } from './helpers/http';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/service';

/** A change adopted on Friday 4 December 2026 at 10:00 in Almaty, applying from 1 February 2027. */
const CHANGE: StandardInForce = {
  standard: 'standard-2',
  from: '2027-02-01T00:00:00+05:00',
  adopted: '2026-12-04T10:00:00+05:00',
  basis: 'order of the Minister No. 999 of 4 December 2026 (a test entry)',
};
const EARLIER: StandardInForce = { standard: 'standard-1', from: null, basis: 'seed 003 (the earlier standard)' };

describe('the duty (domain/standards/publication.ts)', () => {
  test('adopted on a Friday: due at the close (18:30) of the following Wednesday, the third working day after', () => {
    const [duty] = publicationDuties([EARLIER, CHANGE], new WorkingCalendar());
    expect(duty).toMatchObject({ standard: 'standard-2', from: CHANGE.from, adopted: CHANGE.adopted, dueAt: '2026-12-09T13:30:00.000Z' });
    expect(duty.text.ru).toContain('Изменён стандарт государственной услуги «Прием документов для прохождения аттестации педагогов»');
    expect(duty.text.ru).toContain('заявления, поданные с 1 февраля 2027 г., 00:00, рассматриваются по новому стандарту');
    expect(duty.text.kk).toContain('2027 жылғы 1 ақпан, 00:00 бастап берілген өтініштер жаңа стандарт бойынша қаралады');
    expect(duty.text.kk).toContain('«Педагогтерді аттестаттаудан өткізу үшін құжаттар қабылдау» мемлекеттік көрсетілетін қызмет стандарты өзгерді');
    expect(duty.text.kk).toContain(CHANGE.basis);
  });

  test('a holiday in the term moves it on: an operator-declared day off on the Tuesday makes Thursday the third', () => {
    const calendar = new WorkingCalendar([{ date: '2026-12-08', kind: 'day-off', basis: 'a test override', note: null }]);
    expect(publicationDuties([EARLIER, CHANGE], calendar)[0].dueAt).toBe('2026-12-10T13:30:00.000Z');
  });

  test('an entry that records no adoption creates no duty; the first standard, no change at all, may not record one', () => {
    const { adopted: _adopted, ...unrecorded } = CHANGE;
    expect(publicationDuties([EARLIER, unrecorded], new WorkingCalendar())).toEqual([]);
    expect(() => scheduleFrom(JSON.stringify([{ ...EARLIER, adopted: CHANGE.adopted }, CHANGE]))).toThrow(
      'STANDARD_SCHEDULE: 0.adopted: the first standard is no change: it has nothing to publish',
    );
    expect(() => scheduleFrom(JSON.stringify([EARLIER, { ...CHANGE, adopted: '4 December' }]))).toThrow(
      'STANDARD_SCHEDULE: 1.adopted: must be an ISO 8601 date-time with a zone',
    );
    expect(scheduleFrom(JSON.stringify([EARLIER, CHANGE]))[1].adopted).toBe(CHANGE.adopted);
  });
});

describe('published through the outbox, flagged when late', () => {
  let stack: TimeSkippingStack;
  beforeAll(async () => {
    stack = await startTimeSkippingStack('schedule-publication');
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  test('recorded once however often the API starts; delivered to the contact centre; late when past its term', async () => {
    const now = new Date(await stack.env.currentTimeMs());
    // one change adopted a moment ago (its term ahead), one adopted long before (its term passed)
    const recent: StandardInForce = { ...CHANGE, from: new Date(now.getTime() + 60 * 86_400_000).toISOString(), adopted: now.toISOString() };
    const schedule = [EARLIER, { ...CHANGE, from: '2026-01-01T00:00:00+05:00', adopted: '2025-11-03T10:00:00+05:00' }, recent];
    const duties = publicationDuties(schedule, new WorkingCalendar());
    await recordPublicationDuties(stack.store, duties);
    await recordPublicationDuties(stack.store, duties);
    const keys = duties.map((d) => outboxKeys.schedulePublication(d.standard, d.from));
    expect(await stack.store.outboxMessage.count({ where: { key: { in: keys } } })).toBe(2);
    const received = await eventually(
      () => stack.store.receivedMessage.findMany({ where: { key: { in: keys } } }),
      (rows) => rows.length === 2,
    );
    for (const row of received) expect(row.payload).toMatchObject({ to: 'contact-centre', text: { kk: expect.any(String), ru: expect.any(String) } });
    const records = await eventually(
      () => publicationRecords(stack.store),
      (rows) => rows.filter((r) => keys.includes(r.key) && r.deliveredAt).length === 2,
    );
    expect(records.filter((r) => keys.includes(r.key)).map((r) => [r.adopted, r.late])).toEqual([
      ['2025-11-03T10:00:00+05:00', true],
      [recent.adopted, false],
    ]);
    const listed = await cliAsync(['publications'], { env: { DATABASE_URL: stack.databaseUrl } });
    expect(listed.stdout).toContain('standard-2 from 2026-01-01T00:00:00+05:00');
    expect(listed.stdout).toMatch(/adopted 2025-11-03T10:00:00\+05:00, due 2025-11-06T18:30:00\+05:00; reached the contact centre .* — LATE \(R12\)/);
  });

  test('one the notifier never took, its term passed, is a stuck case naming the change and the next step', async () => {
    const missed: StandardInForce = { ...CHANGE, from: '2026-11-01T00:00:00+05:00', adopted: '2026-10-05T10:00:00+05:00' };
    const [duty] = publicationDuties([EARLIER, missed], new WorkingCalendar());
    const key = outboxKeys.schedulePublication(duty.standard, duty.from);
    // as the relay leaves one it gave up on (a dead letter): written so, for the relay of this stack not to deliver it first
    await stack.store.outboxMessage.create({
      data: {
        key,
        channel: 'notifier',
        payload: { to: 'contact-centre', ...duty },
        status: 'dead',
        attempts: 100,
        lastError: 'notifier answered 503',
      },
    });
    // the stuck listing's source (client/inspector/stuck.ts); its visibility queries need the dev server's, which
    // test/operations.e2e.test.ts runs, and the time-skipping server has none
    const stuck = (await publicationsOverdue(stack.store, new Date())).find((c) => c.lastError === 'notifier answered 503');
    expect(stuck).toMatchObject({
      reason: 'publication-overdue',
      lastError: 'notifier answered 503',
      detail: expect.stringContaining('was due at the Unified Contact Centre by 2026-10-08T18:30:00+05:00'),
      nextStep: expect.stringContaining(`cli outbox requeue ${key}`),
    });
  });
});
