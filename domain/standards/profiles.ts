/**
 * The service standard's profiles (R2, R3, R5, R7, R11, R14): each version's channels, places, terms and
 * documents as data, and the terms they set. A shipped profile is never edited: new rules are a new profile.
 */
import { DateTime } from 'luxon';
import { ZONE, type WorkingCalendar } from '../calendar';
import { ESSAY_WORDS } from '../documents';
import { CATEGORIES, type Category, type Channel, type RefusalGround } from '../service';

export const STANDARD_IDS = ['standard-1', 'standard-2'] as const;
export type StandardId = (typeof STANDARD_IDS)[number];
/** Cases started before profiles existed carry no standard: they were all taken under the current one. */
export const STANDARD_OF_UNPINNED_CASES: StandardId = 'standard-2';

/** A time of day in Asia/Almaty, "HH:MM". */
export type Clock = `${number}:${number}`;

/** A place that takes applications in person, and when (R7). */
export interface ServicePlace {
  name: string;
  /** ISO weekdays it is open on, when the day is not a holiday or another day off (Labour Code) */
  weekdays: readonly number[];
  opens: Clock;
  closes: Clock;
  breaks: ReadonlyArray<{ from: Clock; to: Clock }>;
  /** in words, for the refusal of an application taken outside these hours */
  hoursInWords: string;
}

/**
 * How a term of working days counts (R3; docs/calendar.md):
 * - `working-time`: N working days of working time from the registration — registered at the opening (made after
 *   hours, on a weekend or a holiday), due at that day's close; registered within hours, at the same time N working
 *   days on. Basis: 000 §7 (003 §7 3) for the earlier standard's portal): the acceptance *and the result* of an
 *   after-hours application "on the next working day".
 * - `from-next-day`: from the day after the registration to the close of the N-th working day (the Civil Code's
 *   general rule on calculating terms); what every case registered before `term-in-working-time` was given.
 */
export type TermCounting = 'working-time' | 'from-next-day';

/** How long the service takes through a channel (R3). */
export type Term =
  // N working days from registration, counted as `counting` says
  | { kind: 'working-days'; days: number; counting: TermCounting }
  // minutes of service at the counter
  | { kind: 'minutes'; minutes: number }
  // working days that depend on whether the State Corporation's office is in the provider's locality; the day
  // of acceptance is not counted
  | { kind: 'working-days-by-locality'; providerLocality: number; elsewhere: number };

/** Where the result reaches the applicant (R5). */
export type ResultDelivery =
  | 'personal-cabinet' // the signed document in the cabinet (portal, Platform)
  | 'at-the-office' // handed over at the provider's counter
  | 'state-corporation'; // sent to the State Corporation, issued there against the receipt, kept a month (R14)

export interface ChannelRules {
  /** R2: the categories this channel takes */
  categories: readonly Category[];
  /** R7: around the clock (registered at the next working moment) or in person at a place, during its hours */
  intake: 'around-the-clock' | ServicePlace;
  term: Term;
  /** R5: the document that says the application was accepted: the notification (Appendix 3) or the receipt (Appendix 8) */
  acceptanceDocument: 'acceptance' | 'receipt';
  delivery: ResultDelivery;
  /** R11: a State Corporation employee serves applicants with lasting disabilities at home, on request */
  homeVisits: boolean;
}

/** R14: results the applicant does not collect at the State Corporation. */
export interface UncollectedResults {
  /** kept this many months, then returned to the provider */
  keptMonths: number;
  /** an applicant who asks later is served within this many working days of the State Corporation's request */
  laterRequestWorkingDays: number;
}

export interface StandardProfile {
  id: StandardId;
  title: string;
  /** the source documents (seeds) it distils */
  sources: string;
  channels: Partial<Record<Channel, ChannelRules>>;
  /** R9: the grounds a refusal may name under this standard */
  refusalGrounds: readonly RefusalGround[];
  /** R8, R9: what the automatic check at registration refuses */
  checks: { consent: boolean; essayWords: { min: number; max: number } | null };
  /** R8: the documents checked at registration (see documents.ts) */
  documentList: 'current' | 'earlier';
  uncollectedResults: UncollectedResults | null;
}

const LEADER_CATEGORIES = CATEGORIES.filter((c) => c !== 'moderator' && c !== 'expert');

/** R7: the provider's office takes applications 09:00–17:30 on working days, lunch 13:00–14:30. */
export const PROVIDER_OFFICE: ServicePlace = {
  name: "the provider's office",
  weekdays: [1, 2, 3, 4, 5],
  opens: '09:00',
  closes: '17:30',
  breaks: [{ from: '13:00', to: '14:30' }],
  hoursInWords: 'Monday to Friday 09:00–17:30, lunch 13:00–14:30, except holidays and days off',
};

/** R7: the State Corporation works Monday to Saturday 09:00–20:00 without lunch, closed Sundays and holidays. */
export const STATE_CORPORATION: ServicePlace = {
  name: 'the State Corporation "Government for Citizens"',
  weekdays: [1, 2, 3, 4, 5, 6],
  opens: '09:00',
  closes: '20:00',
  breaks: [],
  hoursInWords: 'Monday to Saturday 09:00–20:00 without lunch, closed Sundays and holidays',
};

export const STANDARDS: Readonly<Record<StandardId, StandardProfile>> = {
  'standard-1': {
    id: 'standard-1',
    title: "the earlier standard: the provider's office, the State Corporation and the portal",
    sources: 'seed 003',
    channels: {
      office: {
        categories: CATEGORIES,
        intake: PROVIDER_OFFICE,
        term: { kind: 'minutes', minutes: 20 },
        acceptanceDocument: 'receipt',
        delivery: 'at-the-office',
        homeVisits: false,
      },
      'state-corporation': {
        categories: CATEGORIES,
        intake: STATE_CORPORATION,
        term: { kind: 'working-days-by-locality', providerLocality: 3, elsewhere: 7 },
        acceptanceDocument: 'receipt',
        delivery: 'state-corporation',
        homeVisits: true,
      },
      portal: {
        categories: CATEGORIES,
        intake: 'around-the-clock',
        term: { kind: 'working-days', days: 1, counting: 'working-time' },
        acceptanceDocument: 'acceptance',
        delivery: 'personal-cabinet',
        homeVisits: false,
      },
    },
    refusalGrounds: [1, 2],
    checks: { consent: false, essayWords: null },
    documentList: 'earlier',
    uncollectedResults: { keptMonths: 1, laterRequestWorkingDays: 1 },
  },
  'standard-2': {
    id: 'standard-2',
    title: 'the current standard: the portal and the Platform "Ұстаз"',
    sources: 'seeds 000, 002',
    channels: {
      platform: {
        categories: ['moderator', 'expert'],
        intake: 'around-the-clock',
        term: { kind: 'working-days', days: 1, counting: 'working-time' },
        acceptanceDocument: 'acceptance',
        delivery: 'personal-cabinet',
        homeVisits: false,
      },
      portal: {
        categories: LEADER_CATEGORIES,
        intake: 'around-the-clock',
        term: { kind: 'working-days', days: 1, counting: 'working-time' },
        acceptanceDocument: 'acceptance',
        delivery: 'personal-cabinet',
        homeVisits: false,
      },
    },
    refusalGrounds: [1, 2, 3],
    checks: { consent: true, essayWords: ESSAY_WORDS },
    documentList: 'current',
    uncollectedResults: null,
  },
};

/** The standard a case was pinned to (the current one for cases older than profiles). */
export function standardOf(input: { standard?: StandardId }): StandardProfile {
  return STANDARDS[input.standard ?? STANDARD_OF_UNPINNED_CASES];
}

/**
 * The end of the service's term for a case (R3): for a State Corporation case, the day of acceptance is not
 * counted (the working-day deadline already starts on the day after).
 */
export function serviceTermEnd(
  rules: ChannelRules,
  registeredAt: Date,
  calendar: WorkingCalendar,
  locality?: 'provider-locality' | 'elsewhere',
  counting: TermCounting | 'as-the-profile-says' = 'as-the-profile-says',
): Date {
  const term = rules.term;
  switch (term.kind) {
    case 'minutes':
      return new Date(registeredAt.getTime() + term.minutes * 60_000);
    case 'working-days':
      return (counting === 'as-the-profile-says' ? term.counting : counting) === 'working-time'
        ? calendar.workingTimeDeadline(registeredAt, term.days)
        : calendar.deadline(registeredAt, term.days);
    case 'working-days-by-locality':
      return calendar.deadline(registeredAt, locality === 'elsewhere' ? term.elsewhere : term.providerLocality);
  }
}

/** R3 in words, for a case's details in the UI. */
export function termInWords(rules: ChannelRules, locality?: 'provider-locality' | 'elsewhere'): string {
  const term = rules.term;
  switch (term.kind) {
    case 'minutes':
      return `${term.minutes} minutes`;
    case 'working-days':
      return `${term.days} working day${term.days === 1 ? '' : 's'}${term.counting === 'working-time' ? ' of working time from registration' : ''}`;
    case 'working-days-by-locality': {
      const days = locality === 'elsewhere' ? term.elsewhere : term.providerLocality;
      return `${days} working days, the day of acceptance not counted`;
    }
  }
}

/** R14: until when an uncollected result is kept at the State Corporation, from its arrival there. */
export function storageEnd(kept: UncollectedResults, arrivedAt: Date): Date {
  return DateTime.fromJSDate(arrivedAt, { zone: ZONE }).plus({ months: kept.keptMonths }).toJSDate();
}
