/**
 * The service standard as versioned data. The source documents hold two versions of the same service: the
 * earlier (seed 003: the provider's office, the State Corporation and the portal) and the current (seeds 000,
 * 002: the portal and the Platform). A case is pinned at submission to the standard in force then and follows
 * it to its end, so a change of standard never alters a running case. A shipped profile is never edited: new
 * rules are a new profile, and a new entry in the schedule says from when they apply.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { refusal, type Refusal } from './refusals';
import { ZONE, formatInstant, type WorkingCalendar } from './calendar';
import { ESSAY_WORDS } from './documents';
import { CATEGORIES, CHANNELS, type Category, type Channel, type RefusalGround } from './service';

export const STANDARD_IDS = ['standard-1', 'standard-2'] as const;
export type StandardId = (typeof STANDARD_IDS)[number];
/** Cases started before profiles existed carry no standard: they were all taken under the current one. */
export const STANDARD_OF_UNPINNED_CASES: StandardId = 'standard-2';

/** A time of day in Asia/Almaty, "HH:MM". */
type Clock = `${number}:${number}`;

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

/** How long the service takes through a channel (R3). */
export type Term =
  // N working days from registration, ending at the close of the N-th working day after it
  | { kind: 'working-days'; days: number }
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
        term: { kind: 'working-days', days: 1 },
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
        term: { kind: 'working-days', days: 1 },
        acceptanceDocument: 'acceptance',
        delivery: 'personal-cabinet',
        homeVisits: false,
      },
      portal: {
        categories: LEADER_CATEGORIES,
        intake: 'around-the-clock',
        term: { kind: 'working-days', days: 1 },
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

// ---- which standard is in force when ----

/** One entry of the schedule: a standard applies to applications submitted from `from` (null: from the start). */
export interface StandardInForce {
  standard: StandardId;
  from: string | null;
  basis: string;
}

/**
 * The shipped schedule. The seeds do not say when the current standard replaced the earlier one: the date
 * below is a placeholder to check against the order, and STANDARD_SCHEDULE replaces the whole schedule.
 */
export const SHIPPED_SCHEDULE: readonly StandardInForce[] = [
  { standard: 'standard-1', from: null, basis: 'seed 003 (the earlier standard)' },
  {
    standard: 'standard-2',
    from: '2024-01-01T00:00:00+06:00', // Almaty was on UTC+6 until March 2024
    basis: 'seeds 000, 002 (the current standard); date of entry into force not in the seeds, to be checked against the order',
  },
];

const ScheduleSchema = z
  .array(
    z.strictObject({
      standard: z.enum(STANDARD_IDS, { error: `must be one of ${STANDARD_IDS.join(', ')}` }),
      from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone' }).nullable(),
      basis: z.string().trim().min(5, 'must name the order that set it'),
    }),
  )
  .min(1)
  .superRefine((entries, ctx) => {
    if (entries[0].from !== null) ctx.addIssue({ code: 'custom', path: [0, 'from'], message: 'the first standard applies from the start (null)' });
    for (let i = 1; i < entries.length; i++) {
      const [before, at] = [entries[i - 1].from, entries[i].from];
      if (at === null || (before !== null && Date.parse(at) <= Date.parse(before))) {
        ctx.addIssue({ code: 'custom', path: [i, 'from'], message: 'each later standard applies from a later instant' });
      }
    }
  });

/** Reads STANDARD_SCHEDULE (JSON), refusing a malformed one at start-up with the reason. */
export function scheduleFrom(json: string | undefined): readonly StandardInForce[] {
  if (!json) return SHIPPED_SCHEDULE;
  const parsed = ScheduleSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`STANDARD_SCHEDULE: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** The standard in force at an instant, with the instant it took effect (null: from the start). */
export function standardInForce(at: Date, schedule: readonly StandardInForce[] = SHIPPED_SCHEDULE): StandardInForce {
  let current = schedule[0];
  for (const entry of schedule) if (entry.from === null || Date.parse(entry.from) <= at.getTime()) current = entry;
  return current;
}

// ---- what a standard allows ----

/** What a submission must say for the standard to take it. */
export interface Intake {
  category: Category;
  channel: Channel;
  submittedAt: string;
  serviceLocality?: 'provider-locality' | 'elsewhere';
  homeVisit?: boolean;
}

/**
 * Why a well-formed submission cannot be taken under a standard (R2, R3, R7, R11), or null. The calendar is
 * needed for in-person intake: places are closed on holidays and other days off.
 */
export function intakeRefusal(standard: StandardProfile, intake: Intake, calendar: WorkingCalendar, since?: string | null): Refusal | null {
  const refuse = (field: string, rule: string, message: string): Refusal => refusal(field, rule, message);
  const rules = standard.channels[intake.channel];
  const offered = Object.keys(standard.channels).join(', ');
  if (!rules) {
    const inForce = since ? ` in force since ${formatInstant(new Date(since))}` : '';
    return refuse('channel', 'R2', `the ${intake.channel} channel is not offered under ${standard.title}${inForce}; its channels are ${offered}`);
  }
  if (!rules.categories.includes(intake.category)) {
    const serving = CHANNELS.find((c) => standard.channels[c]?.categories.includes(intake.category));
    return refuse('channel', 'R2', `category ${intake.category} is served through the ${serving} channel, not ${intake.channel}`);
  }
  if (rules.term.kind === 'working-days-by-locality' && !intake.serviceLocality) {
    return {
      code: 'against-standard',
      field: 'serviceLocality',
      rule: 'R3',
      message: `serviceLocality is required for the ${intake.channel} channel: provider-locality (${rules.term.providerLocality} working days) or elsewhere (${rules.term.elsewhere}) (R3)`,
    };
  }
  if (rules.term.kind !== 'working-days-by-locality' && intake.serviceLocality) {
    return refuse('serviceLocality', 'R3', `serviceLocality applies only to the State Corporation channel, not ${intake.channel}`);
  }
  if (intake.homeVisit && !rules.homeVisits) {
    const visiting = CHANNELS.filter((c) => standard.channels[c]?.homeVisits);
    return refuse(
      'homeVisit',
      'R11',
      visiting.length
        ? `under ${standard.title}, home visits are made only through the ${visiting.join(', ')} channel, not ${intake.channel}`
        : `there are no home visits under ${standard.title}`,
    );
  }
  if (rules.intake !== 'around-the-clock' && !isOpen(rules.intake, new Date(intake.submittedAt), calendar)) {
    return refuse(
      'submittedAt',
      'R7',
      `${rules.intake.name} takes applications ${rules.intake.hoursInWords} (R7); this one is dated ${formatInstant(new Date(intake.submittedAt))}`,
    );
  }
  return null;
}

/** Whether a standard takes applications through a channel in person, at a place with its hours (R7). */
export function takenInPerson(standard: StandardProfile, channel: Channel): boolean {
  const intake = standard.channels[channel]?.intake;
  return intake !== undefined && intake !== 'around-the-clock';
}

/** Whether a place takes applications at an instant (R7). */
export function isOpen(place: ServicePlace, at: Date, calendar: WorkingCalendar): boolean {
  const local = DateTime.fromJSDate(at, { zone: ZONE });
  // The calendar's special days decide first: a holiday or a day off closes every place, an ordered working day
  // opens it; otherwise the place's own week (the State Corporation's includes Saturday).
  const special = calendar.dayOf(local.toISODate()!);
  if (!(special ? special.working : place.weekdays.includes(local.weekday))) return false;
  const minutes = local.hour * 60 + local.minute;
  const m = (clock: Clock) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
  if (minutes < m(place.opens) || minutes >= m(place.closes)) return false;
  return !place.breaks.some((b) => minutes >= m(b.from) && minutes < m(b.to));
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
): Date {
  const term = rules.term;
  switch (term.kind) {
    case 'minutes':
      return new Date(registeredAt.getTime() + term.minutes * 60_000);
    case 'working-days':
      return calendar.deadline(registeredAt, term.days);
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
      return `${term.days} working day${term.days === 1 ? '' : 's'}`;
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
