/**
 * Complaints against the result (R13): who reviews them and in how many working days, what a complaint and a
 * review's outcome look like on the wire, and a complaint's own lifecycle. Pure: safe inside workflows.
 */
import { DateTime } from 'luxon';
import { assign, initialTransition, setup, type SnapshotFrom } from 'xstate';
import { z } from 'zod';
import type { SearchAttributePair } from '@temporalio/common';
import { ZONE, formatInstant, type WorkingCalendar } from './calendar';
import { complaintWorkflowIdFor } from './case-ids';
import { ComplaintAddresseeKey, ComplaintStateKey, DecisionDueAtKey, ProviderUnitKey } from './search-attributes';
import { authorisedPersonId, bilingual, distinct, line, officialSignature, schemaOnce, submittedAt, text } from './fields';
import { step } from './lifecycle';

/**
 * R13: the bodies a complaint is addressed to. A complaint "to the provider" is filed *through* it to the body
 * above it (002 §18, APPK art. 91 §3–4): the provider may satisfy it in full within 3 working days, or it goes on,
 * with the case file, to the superior body, which decides it.
 */
export const ADDRESSEES = ['provider', 'quality-authority'] as const;
export type Addressee = (typeof ADDRESSEES)[number];

/**
 * R13: a complaint is decided within 5 (filed through the provider: by the body above it) or 15 (the quality-control
 * authority) working days of its registration (002 §18).
 */
export const REVIEW_TERM_WORKING_DAYS: Readonly<Record<Addressee, number>> = { provider: 5, 'quality-authority': 15 };

/**
 * APPK art. 91 §4: the body whose act is contested has 3 working days from the complaint's registration to satisfy
 * it in full; otherwise it sends the complaint, with the case file, to the body that reviews it.
 */
export const PROVIDER_SATISFACTION_WORKING_DAYS = 3;

/** Who took a complaint's decision: the provider satisfying it in full, or the body reviewing it. */
export type ComplaintDecider = 'provider' | 'reviewing-body';

/** Who sent a complaint on to the superior body: the provider, or the service when the provider's 3 days ended. */
export type Forwarder = 'provider' | 'service';

/** The body that hears of a breach of the review term: the one above the reviewer. */
export const SUPERIOR_BODY: Readonly<Record<Addressee, string>> = {
  provider: 'superior administrative body of the provider',
  'quality-authority': 'head of the authorised body for the quality of public services',
};

/**
 * How long after the result a complaint may be filed. Not in the service standard: the Administrative
 * Procedural Code (art. 92 §1) gives three months from the day the person learned of the act, here the day the
 * notice reached the cabinet. A period ending on a day off ends on the next working day. A complaint filed later
 * is registered and considered all the same (§3: a missed period is no ground to refuse to accept it; its reasons
 * are examined in the review and may be a ground to refuse to satisfy it); a period missed for a valid reason
 * may be restored on the applicant's petition (§2).
 */
export const FILING_PERIOD = { months: 3 } as const;

/**
 * What a complaint contests (002 §18: "on any matter of the service"): the result; the provider's inaction
 * while a decision is overdue (a missed term is itself contestable, APPK art. 91); or the lateness of a
 * decision taken after its term.
 */
export const SUBJECTS = ['result', 'inaction', 'lateness'] as const;
export type ComplaintSubject = (typeof SUBJECTS)[number];

/**
 * The outcomes a review may record. `left-without-consideration` stands only on decisions recorded before
 * APPK art. 92 §3 was applied as written (a missed period is no ground to leave a complaint unconsidered):
 * no decision takes it now (DECISION_OUTCOMES).
 */
export const OUTCOMES = ['upheld', 'partly-upheld', 'rejected', 'left-without-consideration'] as const;
export type ComplaintOutcome = (typeof OUTCOMES)[number];

/** What a reviewing body decides on a complaint: it considers it on its merits, late or not (APPK art. 92 §3). */
export const DECISION_OUTCOMES = ['upheld', 'partly-upheld', 'rejected'] as const satisfies readonly ComplaintOutcome[];

export const complaintSchema = schemaOnce(() =>
  z.strictObject({
    addressee: z.enum(ADDRESSEES, { error: `must be one of ${ADDRESSEES.join(', ')} (R13)` }),
    subject: z.enum(SUBJECTS, { error: `must be one of ${SUBJECTS.join(', ')} (R13)` }).optional(),
    // Administrative Procedural Code art. 92 §2: the petition to restore a missed period, with its reasons.
    restorationReason: text(z.string().max(5_000).trim().min(1), { filled: true }).optional(),
    text: text(z.string().max(20_000).trim().min(1, 'must state what the complaint is about'), { filled: true }),
    grounds: distinct(z.array(line(z.string().max(500).trim().min(1), { filled: true })).max(20), 'ground').optional(),
    attachments: z
      .array(
        z.strictObject({
          fileName: line(z.string().min(1).max(255)),
          sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
        }),
      )
      .max(20)
      .optional(),
    submittedAt: submittedAt().optional(),
  }),
);
export type ComplaintFiling = z.infer<ReturnType<typeof complaintSchema>>;

const complaintDecisionFields = () => ({
  outcome: z.enum(DECISION_OUTCOMES, {
    error: `must be one of ${DECISION_OUTCOMES.join(', ')}: a complaint is considered on its merits, and a missed period is no ground to leave it without consideration (APPK art. 92 §3)`,
  }),
  // R13 with R5: every outcome is a motivated decision.
  motivation: bilingual(text(z.string().max(20_000).trim().min(1, 'a complaint decision is motivated'), { filled: true }), 'the motivation'),
  official: line(z.string().max(300).trim().min(1, 'must name the deciding official'), { filled: true }),
  // Administrative Procedural Code art. 92 §2–3: a late complaint's decision says whether the period is restored
  periodRestored: z.boolean().optional(),
});

/** The decision as the complaint takes it (the workflow's update checks it with this). */
export const complaintDecisionSchema = schemaOnce(() => z.strictObject(complaintDecisionFields()));

/** Issue 31: the documents prepared for the deciding official to sign (`official`: their id in the registry). */
export const complaintDecisionDocumentsSchema = schemaOnce(() => z.strictObject({ ...complaintDecisionFields(), official: authorisedPersonId() }));

/** Issue 31: the decision with the official's signatures of its prepared documents. */
export const signedComplaintDecisionSchema = schemaOnce(() =>
  z.strictObject({ ...complaintDecisionFields(), official: authorisedPersonId(), ...officialSignature() }),
);
export type ComplaintDecision = z.infer<ReturnType<typeof complaintDecisionSchema>>;

/** The provider sends a complaint filed through it on to the body above (APPK art. 91 §4). */
export const complaintForwardingSchema = schemaOnce(() =>
  z.strictObject({
    official: line(z.string().max(300).trim().min(1, 'must name the official who forwards it'), { filled: true }),
  }),
);
export type ComplaintForwarding = z.infer<ReturnType<typeof complaintForwardingSchema>>;

/** What the complaint workflow receives: the filing with its identity, registration and term fixed by the case. */
export interface ComplaintInput {
  complaintId: string;
  applicationId: string;
  addressee: Addressee;
  text: string;
  grounds: string[];
  attachments: Array<{ fileName: string; sha256: string }>;
  submittedAt: string;
  registeredAt: string;
  dueAt: string;
  /** the round of the application's result it contests (a result superseded since cannot be reopened by it) */
  contestedRound: number;
  /** what it contests (`result` when absent: complaints from before the field) */
  subject?: ComplaintSubject;
  /** art. 92: filed after the period, with the petition to restore it (null: none was made) */
  late?: boolean;
  restorationReason?: string | null;
  /** the application's case had ended when it was filed: upheld against the result, it reopens the case in a new run */
  caseClosed?: boolean;
  /**
   * filed through the provider (APPK art. 91 §4): the end of its 3 working days to satisfy the complaint in full;
   * absent on complaints filed before the road went through the provider (the provider reviewed them itself)
   */
  providerDueAt?: string;
}

/**
 * Whether a complaint's decision ends the administrative (pre-trial) stage: the quality-control authority, the
 * last administrative instance, decided on the result itself. Its decision on lateness or on inaction leaves the
 * result open to a complaint within the period (APPK art. 91–92); a complaint ended by hand decided nothing.
 */
export function endsThePreTrialStage(c: { addressee: string; subject?: string | null; outcome: string | null }): boolean {
  return c.addressee === 'quality-authority' && c.outcome !== null && (c.subject ?? 'result') === 'result';
}

/**
 * R13: a complaint upheld in full against the result in force sends the application back to review (the result
 * annulled, a new term) — in a running case, or a closed one (APPK art. 92: restored, the late complaint is
 * considered like any other). Partly upheld, or against lateness or inaction, it leaves the result standing.
 */
export function reopensTheReview(c: { outcome: string | null; subject?: string | null; contestedRound: number }, roundInForce: number): boolean {
  return c.outcome === 'upheld' && (c.subject ?? 'result') === 'result' && c.contestedRound === roundInForce;
}

/** What a complaint contests and whether it is late; inputs from before these fields contested the result in time. */
export function subjectAndLateness(input: ComplaintInput): { subject: ComplaintSubject; late: boolean; restorationReason: string | null } {
  return { subject: input.subject ?? 'result', late: input.late ?? false, restorationReason: input.restorationReason ?? null };
}

/**
 * Whether a complaint filed at `filedAt` is late (art. 92 §1): filed after the period's end. Filed is filed: the
 * filing instant counts (a `submittedAt` the door bounded), not when the case's workflow took the complaint.
 */
export function filedLate(periodEndsAt: string | null, filedAt: number): boolean {
  if (periodEndsAt === null) return false; // no result yet: a complaint against inaction has no period
  return filedAt > Date.parse(periodEndsAt);
}

/**
 * A filed complaint as its workflow receives it, registered and timed (R7, R13), with what its workflow is
 * started with: its id, the search attributes operators filter by, and its summary in the Temporal UI. One
 * function for both doors: the case's workflow (a complaint while the case runs) and the API (a late complaint
 * against a case that has ended, APPK art. 92).
 */
export function filedComplaint(
  filing: ComplaintFiling & { submittedAt: string },
  fields: { complaintId: string; applicationId: string; providerUnit: string; contestedRound: number; late: boolean; caseClosed?: boolean },
  calendar: WorkingCalendar,
) {
  const { registeredAt, dueAt, providerDueAt } = complaintTerms(calendar, filing.addressee, new Date(filing.submittedAt));
  const subject = filing.subject ?? 'result';
  const input: ComplaintInput = {
    complaintId: fields.complaintId,
    applicationId: fields.applicationId,
    addressee: filing.addressee,
    text: filing.text,
    grounds: filing.grounds ?? [],
    attachments: filing.attachments ?? [],
    submittedAt: filing.submittedAt,
    registeredAt: registeredAt.toISOString(),
    dueAt: dueAt.toISOString(),
    contestedRound: fields.contestedRound,
    ...(filing.subject && { subject }),
    ...(fields.late && { late: true, restorationReason: filing.restorationReason ?? null }),
    ...(fields.caseClosed && { caseClosed: true }),
    ...(providerDueAt && { providerDueAt: providerDueAt.toISOString() }),
  };
  const start = {
    workflowId: complaintWorkflowIdFor(fields.complaintId),
    typedSearchAttributes: [
      { key: ComplaintStateKey, value: 'received' },
      { key: ComplaintAddresseeKey, value: filing.addressee },
      { key: ProviderUnitKey, value: fields.providerUnit },
      { key: DecisionDueAtKey, value: dueAt },
    ] as SearchAttributePair[],
    staticSummary: `Complaint to the ${filing.addressee} against the ${subject} on application ${fields.applicationId}${fields.late ? ` (late${filing.restorationReason ? ': asks to restore the period' : ''})` : ''}`,
    staticDetails: `Registered ${formatInstant(registeredAt)}; ${providerDueAt ? `the provider may satisfy it until ${formatInstant(providerDueAt)}, then the body above it decides; ` : ''}decision due by ${formatInstant(dueAt)} (${REVIEW_TERM_WORKING_DAYS[filing.addressee]} working days, R13)`,
  };
  return { input, start, calendarGaps: calendar.uncertainYears(new Date(filing.submittedAt), dueAt) };
}

/**
 * R7 applied to complaints (R13): registered at the next working moment, due N working days later; one filed
 * through the provider is with it for its first 3 working days (APPK art. 91 §4).
 */
export function complaintTerms(calendar: WorkingCalendar, addressee: Addressee, submittedAt: Date) {
  const registeredAt = calendar.registrationMoment(submittedAt);
  const providerDueAt = addressee === 'provider' ? calendar.deadline(registeredAt, PROVIDER_SATISFACTION_WORKING_DAYS) : null;
  return { registeredAt, dueAt: calendar.deadline(registeredAt, REVIEW_TERM_WORKING_DAYS[addressee]), providerDueAt };
}

/** The last moment a complaint against a result notified at `notifiedAt` may be filed: the end of that day. */
export function filingPeriodEnd(calendar: WorkingCalendar, notifiedAt: Date): Date {
  let day = DateTime.fromJSDate(notifiedAt, { zone: ZONE }).plus(FILING_PERIOD).startOf('day');
  while (!calendar.isWorkingDay(day.toISODate()!)) day = day.plus({ days: 1 });
  return day.endOf('day').toJSDate();
}

export type ComplaintEvent =
  | { type: 'REGISTRATION_DEFERRED' } // R7: filed after hours, on a weekend or a holiday
  | { type: 'REGISTERED' }
  | { type: 'REGISTERED_THROUGH_PROVIDER' } // APPK art. 91 §4: with the provider for its 3 working days
  | { type: 'FORWARDED' } // sent on to the superior body with the case file
  | { type: 'REVIEW_DEADLINE_PASSED' } // R13: overdue is a flag; the review is still owed
  | { type: 'REVIEWED'; outcome: ComplaintOutcome }
  | { type: 'DECISION_DELIVERED' }; // the motivated decision reached the cabinet

/** A complaint's lifecycle: the single source of truth for its states, as the application's machine is for it. */
export const complaintLifecycle = setup({
  types: { context: {} as { overdue: boolean }, events: {} as ComplaintEvent },
  actions: { flagOverdue: assign({ overdue: true }) },
  guards: {
    upheld: ({ event }) => event.type === 'REVIEWED' && event.outcome === 'upheld',
    partlyUpheld: ({ event }) => event.type === 'REVIEWED' && event.outcome === 'partly-upheld',
    notConsidered: ({ event }) => event.type === 'REVIEWED' && event.outcome === 'left-without-consideration',
  },
}).createMachine({
  id: 'complaint',
  context: { overdue: false },
  initial: 'received',
  states: {
    received: {
      on: { REGISTRATION_DEFERRED: 'waiting-for-registration', REGISTERED: 'under-review', REGISTERED_THROUGH_PROVIDER: 'with-provider' },
    },
    'waiting-for-registration': { on: { REGISTERED: 'under-review', REGISTERED_THROUGH_PROVIDER: 'with-provider' } },
    // The provider satisfies it in full, or it goes on to the body above (APPK art. 91 §4); it never rejects it.
    'with-provider': { on: { FORWARDED: 'under-review', REVIEWED: { guard: 'upheld', target: 'upheld' } } },
    'under-review': {
      on: {
        REVIEW_DEADLINE_PASSED: { actions: 'flagOverdue' },
        REVIEWED: [
          { guard: 'upheld', target: 'upheld' },
          { guard: 'partlyUpheld', target: 'partly-upheld' },
          { guard: 'notConsidered', target: 'left-without-consideration' },
          { target: 'rejected' },
        ],
      },
    },
    upheld: { on: { DECISION_DELIVERED: 'decided' } },
    'left-without-consideration': { on: { DECISION_DELIVERED: 'decided' } },
    'partly-upheld': { on: { DECISION_DELIVERED: 'decided' } },
    rejected: { on: { DECISION_DELIVERED: 'decided' } },
    decided: { type: 'final' },
  },
});

export type ComplaintSnapshot = SnapshotFrom<typeof complaintLifecycle>;
export const COMPLAINT_STATES = [
  'received',
  'waiting-for-registration',
  'with-provider',
  'under-review',
  'upheld',
  'partly-upheld',
  'rejected',
  'left-without-consideration',
  'decided',
] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];

export function startComplaint(): ComplaintSnapshot {
  return initialTransition(complaintLifecycle)[0];
}

/** A pure step of a complaint's lifecycle; throws when the current state does not allow the event. */
export function advanceComplaint(snapshot: ComplaintSnapshot, event: ComplaintEvent): ComplaintSnapshot {
  return step(complaintLifecycle, snapshot, event, 'complaint');
}
