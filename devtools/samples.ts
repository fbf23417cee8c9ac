/**
 * Sample applications, valid and complete unless said otherwise: the bench's load and the tests' cases
 * (test/helpers/applications.ts takes them from here, on the suite's clock).
 */
import { DateTime } from 'luxon';
import type { Submission } from '../domain/application';
import { WorkingCalendar, ZONE } from '../domain/calendar';
import type { DocumentKind } from '../domain/documents';
import { iinCheckDigit } from '../domain/iin';
import type { Category } from '../domain/service';

/** The academic year (September to August, Asia/Almaty) an instant falls in. */
export function academicYearOf(instant: Date | string): string {
  const moment = DateTime.fromMillis(typeof instant === 'string' ? Date.parse(instant) : instant.getTime(), { zone: ZONE });
  const first = moment.month >= 9 ? moment.year : moment.year - 1;
  return `${first}-${first + 1}`;
}

/**
 * A valid IIN made from a serial number, a different one for every serial: the birth date advances a day every
 * 10 000 serials, and where a serial has no check digit the century-and-sex digit changes, never the serial
 * (moving to the next serial made two serials share an IIN, and the bench's 3 000th application a duplicate).
 */
export function sampleIin(serial: number): string {
  if (!Number.isInteger(serial) || serial < 0) throw new RangeError(`a serial is a whole number ≥ 0, got ${serial}`);
  const birth = DateTime.fromObject({ year: 1985, month: 1, day: 1 }, { zone: 'UTC' }).plus({ days: Math.floor(serial / 10_000) });
  for (const centuryAndSex of ['4', '3', '6', '5']) {
    const first11 = `${birth.toFormat('yyMMdd')}${centuryAndSex}${String(serial % 10_000).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== undefined) return `${first11}${check}`;
  }
  throw new Error(`no valid IIN for serial ${serial}`);
}

/** An essay of exactly `words` words of Russian and Kazakh text, with punctuation and a hyphenated word. */
export function essayOf(words: number): string {
  const vocabulary = [
    'Педагог',
    'должен',
    'вдохновлять',
    'учеников',
    'каждый',
    'день,',
    'бала',
    'оқуға',
    'ынталы',
    'болуы',
    'тиіс',
    'что-то',
    'новое',
    '—',
    '2026',
  ];
  const out: string[] = [];
  let counted = 0;
  for (let i = 0; counted < words; i++) {
    const word = vocabulary[i % vocabulary.length];
    out.push(word);
    if (word !== '—') counted++;
  }
  return `${out.join(' ')}.`;
}

/**
 * R8 (000 §8) as the standard words it, written out rather than taken from the service's own table: the documents
 * an applicant of a category attaches to an application for a category (`assign`) under the current standard.
 * Documents 2 (diploma) and 4 (employment) come from the state systems; 3 (retraining) only if she has one; 6
 * (the category held) only from one who holds it; and for the moderator and the expert the Platform forms 3, 5,
 * 6, 7 and 8 itself, so they attach nothing. The portal's categories attach 5 (the courses certificate), 7
 * (professional achievements) and 8 (the students' achievements).
 */
export const R8_MUST_ATTACH: Readonly<Record<Category, readonly DocumentKind[]>> = {
  moderator: [],
  expert: [],
  researcher: ['courses-certificate', 'professional-achievements', 'student-achievements'],
  master: ['courses-certificate', 'professional-achievements', 'student-achievements'],
  'head-1': ['courses-certificate', 'professional-achievements', 'student-achievements'],
  'head-2': ['courses-certificate', 'professional-achievements', 'student-achievements'],
  'head-3': ['courses-certificate', 'professional-achievements', 'student-achievements'],
  'deputy-head-1': ['courses-certificate', 'professional-achievements', 'student-achievements'],
  'deputy-head-2': ['courses-certificate', 'professional-achievements', 'student-achievements'],
  'deputy-head-3': ['courses-certificate', 'professional-achievements', 'student-achievements'],
};

/** The documents an applicant of the category must attach (R8, written out above), as attachments. */
export function requiredDocuments(category: Category) {
  return (R8_MUST_ATTACH[category] ?? []).map((kind) => ({ kind, fileName: `${kind}.pdf`, sha256: 'a'.repeat(64) }));
}

export function sampleSubmission(overrides: Partial<Submission> = {}, now: Date = new Date()): Submission {
  const category = overrides.category ?? 'moderator';
  return {
    iin: sampleIin(1),
    fullName: 'Айгуль Сериккызы Нурланова',
    category,
    channel: overrides.channel ?? (category === 'moderator' || category === 'expert' ? 'platform' : 'portal'),
    providerUnit: 'almaty-city-education-department',
    purpose: 'assign',
    // The year the submission falls in, by its own date or else `now` (R10).
    academicYear: academicYearOf(overrides.submittedAt ?? now),
    personalDataConsent: true,
    essay: essayOf(270),
    documents: requiredDocuments(category),
    ...overrides,
  };
}

/**
 * The latest working moment not after `now` by the service's calendar: an application submitted then is
 * registered at once, and its decision is due in the future (R7, R3). For the bench, which must not wait for
 * office hours; tests take theirs from test/helpers/clock.ts.
 */
export function lastWorkingMoment(now = new Date(), calendar = new WorkingCalendar()): Date {
  if (calendar.registrationMoment(now).getTime() === now.getTime()) return now;
  let day = DateTime.fromJSDate(now, { zone: ZONE });
  if (!(calendar.isWorkingDay(day.toISODate()!) && day.hour >= 18)) {
    do day = day.minus({ days: 1 });
    while (!calendar.isWorkingDay(day.toISODate()!));
  }
  return day.set({ hour: 18, minute: 29, second: 0, millisecond: 0 }).toJSDate();
}
