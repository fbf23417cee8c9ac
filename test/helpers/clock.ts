/**
 * The tests' one clock and their oracle of working time (issue 28).
 *
 * "Now" is the machine's, unless a run sets TEST_NOW (an ISO instant): then the time-skipping servers start there
 * (test/helpers/workflow-harness.ts, test/helpers/service.ts) and the API they drive reads the same clock, so the
 * whole suite can be run as if on a Sunday evening or a day of 2028. The dev server's workflows read the machine's
 * clock, which no variable moves: the end-to-end tests take their dates from `machineNow()`.
 *
 * Working days, registration moments and deadlines are worked out here from the calendars written out as
 * published (test/fixtures/published-calendar.ts), never from the service's calendar, so a wrong holiday in the
 * service's data fails the tests that lean on it. The rules are the ones the standard states: R7 (09:00–18:30 on
 * working days; after hours, on a weekend or a holiday, the next working day at 09:00) and the Civil Code's count
 * of a term in days (the day after the event first; to the close of the last day).
 */
import { DateTime } from 'luxon';
import { FIRST_YEAR, LAST_YEAR, PUBLISHED_CALENDARS } from '../fixtures/published-calendar';

export const ZONE = 'Asia/Almaty';
const OPENS = { hour: 9, minute: 0, second: 0, millisecond: 0 } as const;
const CLOSES = { hour: 18, minute: 30, second: 0, millisecond: 0 } as const;

/** TEST_NOW, parsed once; a value that is not an instant stops the run at once, naming it. */
const SET_NOW: number | null = (() => {
  const raw = process.env.TEST_NOW;
  if (!raw) return null;
  const parsed = Date.parse(raw);
  if (Number.isNaN(parsed)) throw new Error(`TEST_NOW must be an ISO 8601 instant, got ${JSON.stringify(raw)}`);
  return parsed;
})();

const RUN_STARTED = Date.now();

/** The suite's "now": TEST_NOW (moving on from there as the run goes) when the run sets it, else the machine's clock. */
export function testNow(): Date {
  return SET_NOW === null ? new Date() : new Date(SET_NOW + (Date.now() - RUN_STARTED));
}

/** Whether this run's clock was set (TEST_NOW). */
export const clockWasSet = SET_NOW !== null;

/** The machine's clock, which the dev server's workflows follow whatever TEST_NOW says. */
export function machineNow(): Date {
  return new Date();
}

const local = (instant: Date | number) => DateTime.fromMillis(typeof instant === 'number' ? instant : instant.getTime(), { zone: ZONE });

/** Whether a calendar date (YYYY-MM-DD, Asia/Almaty) is a working day, as the published calendar says. */
export function isWorkingDay(date: string): boolean {
  const year = Number(date.slice(0, 4));
  const published = PUBLISHED_CALENDARS[year];
  if (!published) {
    throw new Error(
      `test/fixtures/published-calendar.ts covers ${FIRST_YEAR}–${LAST_YEAR}; a test reached ${date}: add the year's published calendar`,
    );
  }
  if (published.weekendsWorked.includes(date)) return true;
  const weekday = DateTime.fromISO(date, { zone: ZONE }).weekday;
  return weekday <= 5 && !published.weekdaysOff.includes(date);
}

function nextWorkingDate(date: string): string {
  let day = DateTime.fromISO(date, { zone: ZONE });
  do day = day.plus({ days: 1 });
  while (!isWorkingDay(day.toISODate()!));
  return day.toISODate()!;
}

/** The date of the N-th working day after `date`, the date itself not counted. */
export function addWorkingDays(date: string, days: number): string {
  let current = date;
  for (let i = 0; i < days; i++) current = nextWorkingDate(current);
  return current;
}

/** R7: when a submission made at `at` is registered: at once in working hours, else the next working 09:00. */
export function registrationMoment(at: Date): Date {
  const moment = local(at);
  const date = moment.toISODate()!;
  if (isWorkingDay(date)) {
    if (moment < moment.set(OPENS)) return moment.set(OPENS).toJSDate();
    if (moment < moment.set(CLOSES)) return at;
  }
  return DateTime.fromISO(nextWorkingDate(date), { zone: ZONE }).set(OPENS).toJSDate();
}

/** A term of N working days from an event: 18:30 of the N-th working day after the event's date. */
export function deadline(from: Date, days: number): Date {
  return DateTime.fromISO(addWorkingDays(local(from).toISODate()!, days), { zone: ZONE })
    .set(CLOSES)
    .toJSDate();
}

/**
 * The service's one working day (R3, 000 §7) in working time from a registration moment: registered at 09:00 (an
 * after-hours application), due 18:30 that day; registered later within hours, at the same time the next working day,
 * to the whole minute after.
 */
export function serviceDue(registeredAt: Date): Date {
  const moment = local(registeredAt);
  if (moment <= moment.set(OPENS)) return moment.set(CLOSES).toJSDate();
  const next = DateTime.fromISO(nextWorkingDate(moment.toISODate()!), { zone: ZONE });
  const sameTime = moment.set({ year: next.year, month: next.month, day: next.day });
  return (sameTime.second || sameTime.millisecond ? sameTime.set({ second: 0, millisecond: 0 }).plus({ minutes: 1 }) : sameTime).toJSDate();
}

/**
 * The end of the complaint period of a result delivered at `notifiedAt` (APPK art. 92 §1): three months on, to the
 * end of that day, or of the next working day when it is a day off.
 */
export function complaintPeriodEnd(notifiedAt: Date): Date {
  const threeMonthsOn = local(notifiedAt).plus({ months: 3 }).startOf('day');
  const date = isWorkingDay(threeMonthsOn.toISODate()!) ? threeMonthsOn.toISODate()! : firstDateAfter(threeMonthsOn.toJSDate(), isWorkingDay);
  return DateTime.fromISO(date, { zone: ZONE }).endOf('day').toJSDate();
}

/** The instant at `hour`:00 (Asia/Almaty) of a date. */
export function at(date: string, hour: number, minute = 0): Date {
  return DateTime.fromISO(date, { zone: ZONE }).set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
}

/** The calendar date (Asia/Almaty) of an instant. */
export function dateOf(instant: Date): string {
  return local(instant).toISODate()!;
}

/** The first date after `from` (not `from` itself) that `fits`, within a year. */
export function firstDateAfter(from: Date, fits: (date: string) => boolean): string {
  let day = local(from).startOf('day');
  for (let i = 0; i < 400; i++) {
    day = day.plus({ days: 1 });
    if (fits(day.toISODate()!)) return day.toISODate()!;
  }
  throw new Error(`no date within a year after ${from.toISOString()} fits`);
}

/** The last date before `from` (not `from` itself) that `fits`, within a year. */
export function lastDateBefore(from: Date, fits: (date: string) => boolean): string {
  let day = local(from).startOf('day');
  for (let i = 0; i < 400; i++) {
    day = day.minus({ days: 1 });
    if (fits(day.toISODate()!)) return day.toISODate()!;
  }
  throw new Error(`no date within a year before ${from.toISOString()} fits`);
}

const weekdayOf = (date: string) => DateTime.fromISO(date, { zone: ZONE }).weekday;
const plusDays = (date: string, days: number) => DateTime.fromISO(date, { zone: ZONE }).plus({ days }).toISODate()!;

/** Whether the `days` dates from `date` on are all plain: working Monday–Friday, days off only on weekends. */
export function plainRun(date: string, days: number): boolean {
  for (let k = 0; k < days; k++) {
    const d = plusDays(date, k);
    if (isWorkingDay(d) !== weekdayOf(d) <= 5) return false;
  }
  return true;
}

/** A Friday 19:00 after `from` whose Friday, Monday and Tuesday are working days: after hours before a plain weekend. */
export function ordinaryFridayEveningAfter(from: Date): Date {
  return at(
    firstDateAfter(from, (d) => weekdayOf(d) === 5 && plainRun(d, 5)),
    19,
  );
}

/** 10:00 of a Monday after `from` that begins a working week of five plain days. */
export function ordinaryMondayMorningAfter(from: Date): Date {
  return at(
    firstDateAfter(from, (d) => weekdayOf(d) === 1 && plainRun(d, 5)),
    10,
  );
}

/** A Friday 19:00 after `from`, a working day, whose Monday is a day off: a long weekend after hours. */
export function fridayEveningBeforeHolidayAfter(from: Date): Date {
  return at(
    firstDateAfter(from, (d) => weekdayOf(d) === 5 && isWorkingDay(d) && !isWorkingDay(plusDays(d, 3))),
    19,
  );
}

/** 10:00 of the first working day after `from` that is followed, within a week, by a weekday off. */
export function workingMorningBeforeHolidayAfter(from: Date): Date {
  return at(
    firstDateAfter(
      from,
      (d) => isWorkingDay(d) && [1, 2, 3, 4, 5, 6, 7].some((k) => weekdayOf(plusDays(d, k)) <= 5 && !isWorkingDay(plusDays(d, k))),
    ),
    10,
  );
}

/** The `n`-th working day before `now`'s date (published calendar), `now`'s own not counted. */
export function workingDayBack(n: number, now: Date = machineNow()): string {
  let day = dateOf(now);
  for (let i = 0; i < n; i++) day = lastDateBefore(at(day, 12), isWorkingDay);
  return day;
}

/**
 * 10:00 of the second working day before `now` (a few days back, within the end-to-end stack's bound): a
 * submission dated then is registered at once and its decision is already owed (R7, R3). For the end-to-end
 * tests, whose workflows run on the machine's clock.
 */
export function recentWorkingMorning(now: Date = machineNow()): Date {
  return at(workingDayBack(2, now), 10);
}

/** The academic year (September to August) an instant falls in, e.g. "2026-2027". */
export function academicYearOf(instant: Date | string): string {
  const moment = local(typeof instant === 'string' ? Date.parse(instant) : instant);
  const first = moment.month >= 9 ? moment.year : moment.year - 1;
  return `${first}-${first + 1}`;
}

/**
 * The latest working moment not after `now` (published calendar): an application submitted then is registered
 * at once, and its decision is due in the future (R7, R3).
 */
export function lastWorkingMoment(now: Date): Date {
  if (registrationMoment(now).getTime() === now.getTime()) return now;
  const today = dateOf(now);
  const day = isWorkingDay(today) && local(now) >= local(now).set(CLOSES) ? today : lastDateBefore(now, isWorkingDay);
  return at(day, 18, 29);
}

/** The academic year as a campaign window, opening 1 September and closing (exclusively) the next 1 September. */
export function academicYearWindow(instant: Date, basis = 'test order') {
  const [first] = academicYearOf(instant).split('-').map(Number);
  return {
    academicYear: academicYearOf(instant),
    opens: `${first}-09-01T00:00:00+05:00`,
    closes: `${first + 1}-09-01T00:00:00+05:00`,
    basis,
  };
}

/** The ISO form with the zone's offset, to the second, as the service prints instants. */
export function formatLocal(instant: Date): string {
  return local(instant).set({ millisecond: 0 }).toISO({ suppressMilliseconds: true })!;
}
