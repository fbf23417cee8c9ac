/**
 * The legal clock: Kazakhstan's working time in the zone Asia/Almaty (issue 3; R3, R7, R13).
 *
 * Pure and deterministic, so workflows may use it: everything it knows comes from the shipped data in
 * `calendar-data.ts` plus the overrides handed to the constructor. Workflows get overrides from an activity,
 * never by reading mutable data themselves.
 */
import { DateTime } from 'luxon';
import { KURBAN_AIT, ORDERED_TRANSFERS, STATUTORY_HOLIDAYS, YEAR_COVERAGE, type LocalDate } from './calendar-data';

export type { LocalDate } from './calendar-data';

/** Kazakhstan keeps one zone; UTC+5 since 1 March 2024, earlier instants as tzdata says. */
export const ZONE = 'Asia/Almaty';
/** R7: working hours of the provider, 09:00–18:30 (the lunch break counts as inside the day). */
export const WORKDAY_OPENS = { hour: 9, minute: 0 } as const;
export const WORKDAY_CLOSES = { hour: 18, minute: 30 } as const;

/** An operator's entry for a date the shipped data does not know: an order's transfer for a new year, say. */
export interface CalendarOverride {
  date: LocalDate;
  kind: 'day-off' | 'working-day';
  basis: string;
  note?: string | null;
}

export type CalendarDayKind =
  'holiday' | 'transferred-day-off' | 'ordered-day-off' | 'ordered-working-day' | 'override-day-off' | 'override-working-day';

/** A date on which the calendar departs from the plain Monday–Friday week, with the reason and its basis. */
export interface CalendarDay {
  date: LocalDate;
  kind: CalendarDayKind;
  name: string;
  basis: string;
  working: boolean;
}

/** `unknown`: no shipped data for the year; days off are derived from the statutory rule alone. */
export type YearStatus = 'confirmed' | 'provisional' | 'unknown';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a `YYYY-MM-DD` calendar date, refusing anything that is not a real date. */
export function parseLocalDate(date: string): DateTime {
  const parsed = DATE_PATTERN.test(date) ? DateTime.fromISO(date, { zone: ZONE }) : null;
  if (!parsed?.isValid) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return parsed;
}

/** The calendar date in Asia/Almaty of an instant. */
export function localDateOf(instant: Date): LocalDate {
  return DateTime.fromJSDate(instant, { zone: ZONE }).toISODate()!;
}

/** Formats an instant, to the second, as ISO 8601 with the zone's offset (`2026-03-23T09:00:00+05:00`). */
export function formatInstant(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: ZONE }).set({ millisecond: 0 }).toISO({ suppressMilliseconds: true })!;
}

function isWeekend(day: DateTime): boolean {
  return day.weekday >= 6;
}

function assertWholeDays(days: number): void {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number ≥ 0, got ${days}`);
}

/**
 * The departures of a year from the Monday–Friday week that hold for every calendar (holidays, their transfers,
 * ordered transfers): built once per year and shared, read-only (issue 19: every workflow built its years again,
 * 2 ms of a case's workflow CPU). Pure data of a pure rule, so sharing it across workflows cannot change a result.
 */
const statutoryYears = new Map<number, ReadonlyMap<LocalDate, CalendarDay>>();

function statutoryYear(year: number): ReadonlyMap<LocalDate, CalendarDay> {
  let days = statutoryYears.get(year);
  if (!days) {
    days = buildStatutoryYear(year);
    statutoryYears.set(year, days);
  }
  return days;
}

function buildStatutoryYear(year: number): ReadonlyMap<LocalDate, CalendarDay> {
  const days = new Map<LocalDate, CalendarDay>();
  const holidays = STATUTORY_HOLIDAYS.filter((h) => (h.fromYear ?? -Infinity) <= year && year <= (h.toYear ?? Infinity)).map((h) => ({
    ...h,
    date: `${year}-${h.monthDay}`,
  }));
  for (const h of holidays) days.set(h.date, { date: h.date, kind: 'holiday', name: h.name, basis: h.basis, working: false });
  for (const k of KURBAN_AIT.filter((k) => k.date.startsWith(`${year}-`))) {
    const name = k.provisional ? 'Kurban Ait, first day (date provisional)' : 'Kurban Ait, first day';
    days.set(k.date, { date: k.date, kind: 'holiday', name, basis: `Labour Code art. 84 p. 5; ${k.basis}`, working: false });
  }

  // Law "On holidays" art. 5, Labour Code art. 85 p. 2: a holiday on a weekend makes the next working day
  // after it a day off; religious holidays are excepted. Several such holidays take successive days.
  for (const h of holidays.filter((h) => !h.religious).sort((a, b) => a.date.localeCompare(b.date))) {
    const date = parseLocalDate(h.date);
    if (!isWeekend(date)) continue;
    let substitute = date.plus({ days: 1 });
    while (isWeekend(substitute) || days.has(substitute.toISODate()!)) substitute = substitute.plus({ days: 1 });
    const iso = substitute.toISODate()!;
    days.set(iso, {
      date: iso,
      kind: 'transferred-day-off',
      name: `Day off for ${h.name} (${h.date}, a ${date.weekdayLong})`,
      basis: 'Law "On holidays" art. 5; Labour Code art. 85 p. 2: a holiday on a weekend moves the day off to the next working day',
      working: false,
    });
  }

  for (const t of ORDERED_TRANSFERS) {
    if (t.workingDay.startsWith(`${year}-`)) {
      days.set(t.workingDay, {
        date: t.workingDay,
        kind: 'ordered-working-day',
        name: `Working day (day off moved to ${t.dayOff})`,
        basis: t.basis,
        working: true,
      });
    }
    if (t.dayOff.startsWith(`${year}-`)) {
      days.set(t.dayOff, { date: t.dayOff, kind: 'ordered-day-off', name: `Day off (moved from ${t.workingDay})`, basis: t.basis, working: false });
    }
  }
  for (const day of days.values()) Object.freeze(day);
  return days;
}

/** Kazakhstan's working calendar: shipped data plus operator overrides. */
export class WorkingCalendar {
  private readonly years = new Map<number, ReadonlyMap<LocalDate, CalendarDay>>();
  private readonly overrides: readonly CalendarOverride[];

  constructor(overrides: readonly CalendarOverride[] = []) {
    for (const o of overrides) parseLocalDate(o.date);
    this.overrides = overrides;
  }

  /** How far the calendar of a year can be trusted; anything but `confirmed` deserves an alert. */
  yearStatus(year: number): YearStatus {
    return YEAR_COVERAGE[year] ?? 'unknown';
  }

  /** The departures from the Monday–Friday week in a year, in date order, each with its legal basis. */
  yearDays(year: number): CalendarDay[] {
    return [...this.daysOf(year).values()].sort((a, b) => a.date.localeCompare(b.date));
  }

  /** Whether a calendar date is a working day (R7). */
  isWorkingDay(date: LocalDate): boolean {
    const special = this.dayOf(date);
    return special ? special.working : !isWeekend(parseLocalDate(date));
  }

  /** The calendar's entry for a date that departs from the Monday–Friday week (a holiday, a transfer), if any. */
  dayOf(date: LocalDate): CalendarDay | undefined {
    return this.daysOf(parseLocalDate(date).year).get(date);
  }

  /**
   * R7: the moment an application (or complaint) is registered. Inside working hours of a working day it is
   * the submission itself; before opening on a working day, 09:00 that day; otherwise 09:00 of the next
   * working day. Idempotent: a registration moment registers at itself.
   */
  registrationMoment(submittedAt: Date): Date {
    const local = DateTime.fromJSDate(submittedAt, { zone: ZONE });
    const date = local.toISODate()!;
    if (this.isWorkingDay(date)) {
      const opens = local.set({ ...WORKDAY_OPENS, second: 0, millisecond: 0 });
      const closes = local.set({ ...WORKDAY_CLOSES, second: 0, millisecond: 0 });
      if (local < opens) return opens.toJSDate();
      if (local < closes) return submittedAt;
    }
    return this.opening(this.nextWorkingDay(date));
  }

  /** The date of the N-th working day after `date` (the date itself not counted); N = 0 gives `date`. */
  addWorkingDays(date: LocalDate, days: number): LocalDate {
    assertWholeDays(days);
    let current = parseLocalDate(date).toISODate()!;
    for (let counted = 0; counted < days; counted++) current = this.nextWorkingDay(current);
    return current;
  }

  /**
   * A deadline of N working days from an event (R3, R13): the period starts on the day after the event and
   * ends at the close of working hours (18:30) of its last working day. The Civil Code's rules on calculating
   * terms are the basis: a period begins the day after the event that starts it, and an act due in an
   * organisation may be done until the hour its operations end (docs/calendar.md).
   */
  deadline(from: Date, days: number): Date {
    assertWholeDays(days);
    if (days === 0) throw new RangeError('a deadline counts at least one working day');
    return this.closing(this.addWorkingDays(localDateOf(from), days));
  }

  /**
   * A term of N working days counted in working time from a registration moment (R3 for the service's one working
   * day, 000 §7; docs/calendar.md): registered at the opening of a working day — an application made after hours,
   * on a weekend or a holiday — it ends at the close of the N-th working day counting that day; registered within
   * working hours, at the same time of day (to the minute, rounded up) on the N-th working day after. A registration
   * moment is always within working hours (`registrationMoment`).
   */
  workingTimeDeadline(registeredAt: Date, days: number): Date {
    assertWholeDays(days);
    if (days === 0) throw new RangeError('a deadline counts at least one working day');
    const local = DateTime.fromJSDate(registeredAt, { zone: ZONE });
    const date = local.toISODate()!;
    const opens = local.set({ ...WORKDAY_OPENS, second: 0, millisecond: 0 });
    if (local <= opens) return this.closing(this.addWorkingDays(date, days - 1));
    const [year, month, day] = this.addWorkingDays(date, days).split('-').map(Number);
    // to the whole minute after, as a person reads a deadline: registered 11:00:20, due 11:01
    const due = local.set({ year, month, day });
    return (due.second === 0 && due.millisecond === 0 ? due : due.startOf('minute').plus({ minutes: 1 })).toJSDate();
  }

  /** The years a computation between two instants touched that are not `confirmed`, for alerts. */
  uncertainYears(...instants: Date[]): number[] {
    const years = new Set(instants.map((i) => DateTime.fromJSDate(i, { zone: ZONE }).year));
    if (instants.length > 1) {
      const sorted = [...years].sort();
      for (let y = sorted[0]; y <= sorted[sorted.length - 1]; y++) years.add(y);
    }
    return [...years].filter((y) => this.yearStatus(y) !== 'confirmed').sort();
  }

  private nextWorkingDay(date: LocalDate): LocalDate {
    let day = parseLocalDate(date);
    do day = day.plus({ days: 1 });
    while (!this.isWorkingDay(day.toISODate()!));
    return day.toISODate()!;
  }

  private opening(date: LocalDate): Date {
    return parseLocalDate(date)
      .set({ ...WORKDAY_OPENS })
      .toJSDate();
  }

  private closing(date: LocalDate): Date {
    return parseLocalDate(date)
      .set({ ...WORKDAY_CLOSES })
      .toJSDate();
  }

  private daysOf(year: number): ReadonlyMap<LocalDate, CalendarDay> {
    let days = this.years.get(year);
    if (!days) {
      days = this.withOverrides(year);
      this.years.set(year, days);
    }
    return days;
  }

  /** The year's statutory days with this calendar's operator overrides on top (a copy only when it has some). */
  private withOverrides(year: number): ReadonlyMap<LocalDate, CalendarDay> {
    const overrides = this.overrides.filter((o) => o.date.startsWith(`${year}-`));
    if (overrides.length === 0) return statutoryYear(year);
    const days = new Map(statutoryYear(year));
    for (const o of overrides) {
      const working = o.kind === 'working-day';
      days.set(
        o.date,
        Object.freeze({
          date: o.date,
          kind: working ? 'override-working-day' : 'override-day-off',
          name: o.note ?? (working ? 'Working day (operator override)' : 'Day off (operator override)'),
          basis: o.basis,
          working,
        }),
      );
    }
    return days;
  }
}
