import fc from 'fast-check';
import { DateTime } from 'luxon';
import { WorkingCalendar, formatInstant, localDateOf } from '../domain/calendar';
import { LAST_YEAR, PUBLISHED_CALENDARS } from './fixtures/published-calendar';
import { isWorkingDay as publishedWorkingDay } from './helpers/clock';

const calendar = new WorkingCalendar();
const at = (iso: string) => new Date(iso);

describe('working days of Kazakhstan (R7)', () => {
  test.each(Object.keys(PUBLISHED_CALENDARS).map(Number))(
    'R7: every date of %i is a working day or not as the calendar written out in test/fixtures says',
    (year) => {
      const disagreements: string[] = [];
      for (let day = DateTime.fromObject({ year, month: 1, day: 1 }); day.year === year; day = day.plus({ days: 1 })) {
        const date = day.toISODate()!;
        if (calendar.isWorkingDay(date) !== publishedWorkingDay(date)) disagreements.push(date);
      }
      expect(disagreements).toEqual([]);
    },
  );

  // Every holiday of 2024–2026 and each ordered or rule transfer, as the official calendars publish them.
  test.each([
    ['2024-01-01', false, 'New Year'],
    ['2024-01-02', false, 'New Year'],
    ['2024-01-03', true, 'after New Year'],
    ['2024-03-08', false, "Women's Day"],
    ['2024-03-21', false, 'Nauryz'],
    ['2024-03-22', false, 'Nauryz'],
    ['2024-03-25', false, 'Nauryz 23 March fell on a Saturday → Monday'],
    ['2024-05-04', true, 'Saturday worked by the 2024 transfer'],
    ['2024-05-08', false, 'day off moved from 4 May'],
    ['2024-06-17', true, 'Kurban Ait on a Sunday is not transferred'],
    ['2024-07-08', false, 'Capital Day on a Saturday → Monday'],
    ['2024-08-30', false, 'Constitution Day (old date)'],
    ['2024-10-25', false, 'Republic Day'],
    ['2024-12-16', false, 'Independence Day'],
    ['2024-12-17', true, '17 December is no longer a holiday since 2022'],
    ['2025-01-03', false, 'ordered day off moved from Sunday 5 January'],
    ['2025-01-05', true, 'Sunday worked by order of 21.11.2024'],
    ['2025-01-07', false, 'Orthodox Christmas'],
    ['2025-03-10', false, "Women's Day on a Saturday → Monday"],
    ['2025-03-24', false, 'Nauryz on the weekend → Monday'],
    ['2025-03-25', false, 'Nauryz on the weekend → Tuesday'],
    ['2025-03-26', true, 'after Nauryz'],
    ['2025-05-08', true, 'no May transfer in 2025'],
    ['2025-06-06', false, 'Kurban Ait'],
    ['2025-07-07', false, 'Capital Day on a Sunday → Monday'],
    ['2025-09-01', false, 'Constitution Day on a Saturday → Monday'],
    ['2025-10-27', false, 'Republic Day on a Saturday → Monday'],
    ['2026-01-01', false, 'New Year'],
    ['2026-01-05', true, 'no January transfer in 2026'],
    ['2026-01-07', false, 'Christmas'],
    ['2026-03-09', false, "Women's Day on a Sunday → Monday"],
    ['2026-03-23', false, 'Nauryz'],
    ['2026-03-24', false, 'Nauryz 21 March → Tuesday'],
    ['2026-03-25', false, 'Nauryz 22 March → Wednesday'],
    ['2026-03-26', true, 'after Nauryz'],
    ['2026-05-11', false, 'Victory Day on a Saturday → Monday'],
    ['2026-05-27', false, 'Kurban Ait'],
    ['2026-07-06', false, 'Capital Day'],
    ['2026-08-31', true, '30 August is no longer a holiday after the 2026 Constitution'],
    ['2026-10-26', false, 'Republic Day on a Sunday → Monday'],
    ['2026-12-16', false, 'Independence Day'],
    ['2027-01-04', false, 'New Year 2 January on a Saturday → Monday'],
    ['2027-03-15', false, 'Constitution Day on its new date from 2027'],
    ['2027-03-24', false, 'Nauryz 21 March on a Sunday → Wednesday after 22–23'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  test('an operator override turns a Saturday into a working day and a weekday into a day off', () => {
    const withOrder = new WorkingCalendar([
      { date: '2027-05-08', kind: 'working-day', basis: 'test order' },
      { date: '2027-05-06', kind: 'day-off', basis: 'test order' },
    ]);
    expect(withOrder.isWorkingDay('2027-05-08')).toBe(true);
    expect(withOrder.isWorkingDay('2027-05-06')).toBe(false);
    expect(calendar.isWorkingDay('2027-05-06')).toBe(true);
  });

  test("R7: one calendar's overrides stay its own, whichever calendar reads the year first (the statutory days are shared)", () => {
    const plain = new WorkingCalendar();
    expect(plain.isWorkingDay('2028-05-06')).toBe(false); // a Saturday, read first: the shared year is built
    const withOrder = new WorkingCalendar([{ date: '2028-05-06', kind: 'working-day', basis: 'test order' }]);
    expect(withOrder.isWorkingDay('2028-05-06')).toBe(true);
    expect(new WorkingCalendar().isWorkingDay('2028-05-06')).toBe(false);
    expect(plain.yearDays(2028).some((d) => d.date === '2028-05-06')).toBe(false);
    expect(() => Object.assign(plain.dayOf('2028-01-01')!, { working: true })).toThrow(TypeError);
    expect(new WorkingCalendar().isWorkingDay('2028-01-01')).toBe(false);
  });

  test('a year published is confirmed, one known by law only provisional, one with no data unknown; the uncertain ones are reported', () => {
    for (const [year, { status }] of Object.entries(PUBLISHED_CALENDARS)) {
      expect([year, calendar.yearStatus(Number(year))]).toEqual([year, status === 'published' ? 'confirmed' : 'provisional']);
    }
    expect(calendar.yearStatus(LAST_YEAR + 2)).toBe('unknown');
    expect(calendar.yearStatus(2026)).toBe('confirmed');
    expect(calendar.uncertainYears(at('2026-12-30T10:00:00+05:00'), at(`${LAST_YEAR + 2}-01-05T18:30:00+05:00`))).toEqual(
      Object.entries(PUBLISHED_CALENDARS)
        .filter(([, y]) => y.status !== 'published')
        .map(([year]) => Number(year))
        .concat(LAST_YEAR + 1, LAST_YEAR + 2),
    );
  });

  test('every data entry carries its legal basis', () => {
    for (const year of [2024, 2025, 2026, 2027]) {
      for (const day of calendar.yearDays(year)) expect(day.basis.length).toBeGreaterThan(10);
    }
  });
});

describe('registration moment (R7)', () => {
  test.each([
    ['inside working hours registers at once', '2026-11-23T10:15:00+05:00', '2026-11-23T10:15:00+05:00'],
    ['the lunch break counts as inside the day', '2026-11-23T13:30:00+05:00', '2026-11-23T13:30:00+05:00'],
    ['before 09:00 registers at 09:00 the same day', '2026-11-23T07:59:00+05:00', '2026-11-23T09:00:00+05:00'],
    ['at 18:30 the day is closed', '2026-11-23T18:30:00+05:00', '2026-11-24T09:00:00+05:00'],
    ['a Friday-evening submission registers on Monday at 09:00', '2026-11-20T19:00:00+05:00', '2026-11-23T09:00:00+05:00'],
    ['Friday evening before Nauryz registers on Thursday 26 March', '2026-03-20T19:05:00+05:00', '2026-03-26T09:00:00+05:00'],
    ['New Year eve registers on 5 January', '2025-12-31T20:00:00+05:00', '2026-01-05T09:00:00+05:00'],
    ['a holiday registers on the next working day', '2026-12-16T11:00:00+05:00', '2026-12-17T09:00:00+05:00'],
    ['instants in UTC are read in Asia/Almaty', '2026-11-23T04:00:00Z', '2026-11-23T09:00:00+05:00'],
    ['before March 2024 Almaty was UTC+6', '2024-01-03T08:30:00+06:00', '2024-01-03T09:00:00+06:00'],
  ])('%s', (_name, submitted, registered) => {
    expect(formatInstant(calendar.registrationMoment(at(submitted)))).toBe(registered);
  });
});

describe('working-day arithmetic and deadlines (R3, R13)', () => {
  test('the N-th working day after a date does not count the date', () => {
    expect(calendar.addWorkingDays('2026-03-20', 1)).toBe('2026-03-26');
    expect(calendar.addWorkingDays('2026-03-20', 5)).toBe('2026-04-01');
    expect(calendar.addWorkingDays('2026-11-23', 0)).toBe('2026-11-23');
    expect(calendar.addWorkingDays('2026-12-30', 3)).toBe('2027-01-06');
  });

  test('a deadline ends at 18:30 of its last working day', () => {
    expect(formatInstant(calendar.deadline(at('2026-11-23T09:00:00+05:00'), 1))).toBe('2026-11-24T18:30:00+05:00');
    expect(formatInstant(calendar.deadline(at('2026-03-20T10:00:00+05:00'), 5))).toBe('2026-04-01T18:30:00+05:00');
    expect(formatInstant(calendar.deadline(at('2026-12-15T10:00:00+05:00'), 15))).toBe('2027-01-11T18:30:00+05:00'); // 16 Dec, 1–2 and 4 Jan, 7 Jan are days off
  });

  test('one working day of working time (R3, 000 §7): registered at the opening, due at that close; within hours, the same time a working day on', () => {
    // Friday 20:00 → registered Monday 09:00 → due that Monday at the close
    expect(formatInstant(calendar.workingTimeDeadline(calendar.registrationMoment(at('2026-11-20T20:00:00+05:00')), 1))).toBe(
      '2026-11-23T18:30:00+05:00',
    );
    expect(formatInstant(calendar.workingTimeDeadline(at('2026-11-23T11:00:00+05:00'), 1))).toBe('2026-11-24T11:00:00+05:00');
    expect(formatInstant(calendar.workingTimeDeadline(at('2026-11-23T18:29:00+05:00'), 1))).toBe('2026-11-24T18:29:00+05:00');
    // to the whole minute after
    expect(formatInstant(calendar.workingTimeDeadline(at('2026-11-23T11:00:20.5+05:00'), 1))).toBe('2026-11-24T11:01:00+05:00');
    // across Independence Day (16 December): Tuesday 15th 17:00 → Thursday 17th 17:00
    expect(formatInstant(calendar.workingTimeDeadline(at('2026-12-15T17:00:00+05:00'), 1))).toBe('2026-12-17T17:00:00+05:00');
    expect(formatInstant(calendar.workingTimeDeadline(at('2026-11-23T09:00:00+05:00'), 2))).toBe('2026-11-24T18:30:00+05:00');
    expect(() => calendar.workingTimeDeadline(at('2026-11-23T09:00:00+05:00'), 0)).toThrow(/at least one/);
  });

  test('nonsense is refused, not guessed', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(/not a calendar date/);
    expect(() => calendar.addWorkingDays('2026-01-01', -1)).toThrow(/whole number/);
    expect(() => calendar.deadline(at('2026-01-01T00:00:00Z'), 0)).toThrow(/at least one/);
  });
});

describe('calendar invariants (property-based)', () => {
  const instants = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-01T00:00:00Z'), noInvalidDate: true });
  const days = fc.integer({ min: 0, max: 40 });
  const opens = (d: Date) => formatInstant(d).slice(11, 19);

  test('registration lands on a working moment and is idempotent', () => {
    fc.assert(
      fc.property(instants, (submitted) => {
        const moment = calendar.registrationMoment(submitted);
        expect(moment.getTime()).toBeGreaterThanOrEqual(submitted.getTime());
        expect(calendar.isWorkingDay(localDateOf(moment))).toBe(true);
        expect(opens(moment) >= '09:00:00' && opens(moment) < '18:30:00').toBe(true);
        expect(calendar.registrationMoment(moment).getTime()).toBe(moment.getTime());
      }),
    );
  });

  test('a deadline is a working moment and grows with the number of days', () => {
    fc.assert(
      fc.property(instants, days, (from, n) => {
        const due = calendar.deadline(from, n + 1);
        expect(calendar.isWorkingDay(localDateOf(due))).toBe(true);
        expect(opens(due)).toBe('18:30:00');
        expect(calendar.deadline(from, n + 2).getTime()).toBeGreaterThan(due.getTime());
      }),
    );
  });
});
