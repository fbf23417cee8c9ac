/**
 * May this update happen now? One pure function per update of a case — the provider's decision, the
 * applicant's withdrawal, a complaint's filing, a step of the result's custody, a complaint's decision — of
 * the case as it stands and the request, answering a typed refusal or null. The workflows' update validators
 * call them and raise what they answer; they are tested without Temporal (test/guards.test.ts).
 */
import { CLOCK_SKEW_MS, decisionSchema, withdrawalSchema } from './application';
import { formatInstant } from './calendar';
import type { ApplicationStatus, ComplaintStatus } from './case-status';
import {
  complaintDecisionSchema,
  complaintForwardingSchema,
  complaintSchema,
  type ComplaintDecider,
  type ComplaintFiling,
  type ComplaintSnapshot,
  type ComplaintSubject,
} from './complaint';
import { CUSTODY_EVENT_ORDER, parseCustodyEvent } from './custody';
import { schemaOnce } from './fields';
import type { LifecycleSnapshot } from './lifecycle';
import type { SignedDecisionDocuments } from './notices';
import { parseInput, type Refusal } from './refusals';
import type { StandardProfile } from './standards';

/** An application's case as the guards see it. */
export interface ApplicationCaseView {
  status: ApplicationStatus;
  lifecycle: LifecycleSnapshot;
  standard: StandardProfile;
  /** the provider's (or the automatic check's) decision of the current round has been taken */
  decided: boolean;
  withdrawalRequested: boolean;
  /** a custody step is taken but not yet recorded */
  custodyStepPending: boolean;
  /** when the result in force reached the applicant (epoch ms; 0 before) */
  resultDeliveredAt: number;
  administrativeStageOver: boolean;
  /** the case's clock (workflow time), epoch ms */
  now: number;
}

/** R3, R9: a decision is taken while the application is under review, on grounds of its standard. */
export function decisionRefusal(view: ApplicationCaseView, request: unknown): Refusal | null {
  const parsed = parseInput(decisionSchema(), request);
  if (!parsed.ok) return parsed.error;
  const { standard } = view;
  const foreign = (parsed.value.grounds ?? []).filter((g) => !standard.refusalGrounds.includes(g));
  if (foreign.length > 0) {
    return {
      code: 'against-standard',
      field: 'grounds',
      rule: 'R9',
      message: `grounds: ${foreign.join(', ')} is not a ground for refusal under ${standard.title}; its grounds are ${standard.refusalGrounds.join(', ')} (R9)`,
    };
  }
  if (!view.lifecycle.can({ type: 'DECISION_MADE', decision: parsed.value.decision }) || view.withdrawalRequested) {
    const state = view.withdrawalRequested ? 'being withdrawn' : view.status.state;
    return {
      code: 'decision-not-allowed',
      field: 'decision',
      rule: 'R3',
      message: `a decision is taken only while the application is under review; it is ${state}`,
    };
  }
  return null;
}

/**
 * Issue 31: signed documents reach the workflow only through the API, which checked the signatures; this checks no
 * more than their shape — one document in each language, each with its body and signature.
 */
export function signedDocumentsRefusal(signed: SignedDecisionDocuments | undefined): Refusal | null {
  if (signed === undefined) return null;
  const languages = Array.isArray(signed?.documents) ? signed.documents.map((d) => d?.language).sort() : [];
  const whole =
    typeof signed?.person?.name === 'string' &&
    typeof signed.certificatePem === 'string' &&
    languages.join() === 'kk,ru' &&
    signed.documents.every((d) => typeof d.body === 'string' && typeof d.signature === 'string');
  return whole
    ? null
    : {
        code: 'invalid-field',
        field: 'signatures',
        rule: 'R5',
        message: 'the signed documents are not whole: one per language, each with its body and signature',
      };
}

/** The applicant withdraws an application only before its decision. */
export function withdrawalRefusal(view: ApplicationCaseView, request: unknown): Refusal | null {
  const parsed = parseInput(withdrawalSchema(), request);
  if (!parsed.ok) return parsed.error;
  if (!view.lifecycle.can({ type: 'WITHDRAWN' }) || view.decided) {
    return {
      code: 'withdrawal-not-allowed',
      field: 'id',
      rule: null,
      message: `an application can be withdrawn only before the decision; it is ${view.status.state}`,
    };
  }
  return null;
}

/** Which state each custody step is taken in (R5, R14). */
const CUSTODY_STEP_STATE = { issued: 'awaiting-collection', requested: 'returned-to-provider', 'sent-again': 'requested-again' } as const;

/** R5, R11, R14: a step of the result's way through the State Corporation, each in its turn. */
export function custodyStepRefusal(view: ApplicationCaseView, request: unknown): Refusal | null {
  const parsed = parseCustodyEvent(request);
  if (!parsed.ok) return parsed.error;
  const { status } = view;
  if (!status.custody) {
    return {
      code: 'custody-step-not-allowed',
      field: 'id',
      rule: 'R5',
      message: `the result of this case is not kept at the State Corporation: it goes through the ${status.channel} channel (R5)`,
    };
  }
  const step = parsed.value;
  if (status.state !== CUSTODY_STEP_STATE[step.event] || view.custodyStepPending) {
    return {
      code: 'custody-step-not-allowed',
      field: 'id',
      rule: 'R14',
      message: `the result cannot be ${step.event} now: the case is ${status.state} (${CUSTODY_EVENT_ORDER})`,
    };
  }
  if (step.event === 'issued' && (step.place === 'home') !== (status.custody.place === 'home')) {
    const where = status.custody.place === 'home' ? 'at home, on the home visit the applicant asked for (R11)' : 'at the State Corporation';
    return { code: 'against-standard', field: 'place', rule: 'R11', message: `place: this result is issued ${where}` };
  }
  return null;
}

/** Why a complaint against the result cannot be filed in the case's state, in words for the applicant (R13). */
function notNowInWords(state: ApplicationStatus['state']): string {
  switch (state) {
    case 'withdrawn':
      return 'the application was withdrawn; there is no result to contest';
    case 'closed':
      return 'the administrative stage of this case is over; the result may now be contested in court (Administrative Procedural Code art. 91 §5)';
    case 'accepted':
    case 'refused':
      return 'the result is being delivered to the personal cabinet; a complaint can be filed once it is there (R13)';
    case 'notified':
      return 'the administrative stage of this case is ending; the result may now be contested in court (Administrative Procedural Code art. 91 §5)';
    default:
      return `the application is still ${state}; a complaint against its result can be filed once the result is delivered, and one against the provider's inaction once the decision is overdue (R13)`;
  }
}

type Filing = ComplaintFiling & { submittedAt: string };
const complaintRefusal = (field: string, message: string): Refusal => ({ code: 'complaint-not-allowed', field, rule: 'R13', message });

/** A filing as a case receives it: its instant fixed by the caller. */
const filingSchema = schemaOnce(() => complaintSchema().required({ submittedAt: true }));

/** The filing's form, and a `submittedAt` not ahead of the case's clock. */
function parseFiling(request: unknown, now: number): { ok: true; filing: Filing } | { ok: false; refusal: Refusal } {
  const parsed = parseInput(filingSchema(), request);
  if (!parsed.ok) return { ok: false, refusal: parsed.error };
  if (Date.parse(parsed.value.submittedAt) > now + CLOCK_SKEW_MS) {
    return { ok: false, refusal: complaintRefusal('submittedAt', 'submittedAt: must not be in the future') };
  }
  return { ok: true, filing: parsed.value };
}

/** R13: the lateness of a decision is contested only when the decision was late. */
function latenessRefusal(subject: ComplaintSubject, decisionWasLate: boolean): Refusal | null {
  if (subject !== 'lateness' || decisionWasLate) return null;
  return complaintRefusal('subject', 'subject: the decision was taken within its term; there is no lateness to contest (R3, R13)');
}

/**
 * R13: what a complaint can contest in the case as it stands — the delivered result (and the lateness of a
 * decision taken after its term), or the provider's inaction while the decision is overdue.
 */
export function contestableSubjects(view: ApplicationCaseView): ComplaintSubject[] {
  const { status } = view;
  if (view.administrativeStageOver) return [];
  if (status.state === 'under-review') return status.overdue && !view.decided && !view.withdrawalRequested ? ['inaction'] : [];
  if (status.state === 'notified' || status.state === 'contested') return status.overdue ? ['result', 'lateness'] : ['result'];
  return [];
}

/**
 * The subject a filing contests: the one it names, else the only one the case leaves; undefined where it names
 * none and the case leaves none or several (its refusal says which).
 */
export function subjectOf(named: ComplaintSubject | undefined, contestable: readonly ComplaintSubject[]): ComplaintSubject | undefined {
  return named ?? (contestable.length === 1 ? contestable[0] : undefined);
}

/** 400 for a filing that names no subject where the case leaves several, naming them (R13). */
function chooseSubject(contestable: readonly ComplaintSubject[]): Refusal {
  return {
    code: 'missing-field',
    field: 'subject',
    rule: 'R13',
    message: `subject: this case allows a complaint against ${contestable.map((s) => SUBJECT_IN_WORDS[s]).join(' or against ')}; say which (subject: ${contestable.join(' | ')})`,
  };
}

const SUBJECT_IN_WORDS: Readonly<Record<ComplaintSubject, string>> = {
  result: 'the result',
  lateness: 'the lateness of the decision',
  inaction: "the provider's inaction",
};

/**
 * R13: a complaint against the delivered result or the lateness of its decision, or against the provider's
 * inaction while the decision is overdue. A filing that names no subject contests the only one the case leaves
 * (`contestableSubjects`). A complaint after the filing period is not refused for that (Administrative Procedural
 * Code art. 92 §3): it is registered as late (`filedLate`). Nor is one refused for being second: every complaint
 * is registered (R7) and reviewed on its own clock, even beside another open one to the same body (docs/rules.md).
 */
export function complaintFilingRefusal(view: ApplicationCaseView, request: unknown): Refusal | null {
  const { status, now } = view;
  const parsed = parseFiling(request, now);
  if (!parsed.ok) return parsed.refusal;
  const { filing } = parsed;
  if (view.administrativeStageOver) return complaintRefusal('id', notNowInWords(status.state));
  const contestable = contestableSubjects(view);
  const subject = subjectOf(filing.subject, contestable);
  if (subject === undefined) return contestable.length > 1 ? chooseSubject(contestable) : complaintRefusal('id', notNowInWords(status.state));
  if (subject === 'inaction') {
    if (!contestable.includes('inaction')) {
      const due = status.decisionDueAt ? `; it is due by ${formatInstant(new Date(status.decisionDueAt))}` : '';
      return complaintRefusal(
        'subject',
        `subject: a complaint against the provider's inaction is filed while its decision is overdue; the application is ${status.state}${status.overdue ? '' : due} (R13)`,
      );
    }
  } else {
    if (status.state !== 'notified' && status.state !== 'contested') return complaintRefusal('id', notNowInWords(status.state));
    const lateness = latenessRefusal(subject, status.overdue);
    if (lateness) return lateness;
    if (Date.parse(filing.submittedAt) < view.resultDeliveredAt - CLOCK_SKEW_MS) {
      return complaintRefusal(
        'submittedAt',
        `submittedAt: a complaint cannot precede the result it contests, delivered ${formatInstant(new Date(view.resultDeliveredAt))} (R13)`,
      );
    }
  }
  return null;
}

/** R13, APPK art. 91 §4: a complaint is forwarded to the body above while it is with the provider. */
export function complaintForwardRefusal(view: { status: ComplaintStatus; lifecycle: ComplaintSnapshot }, request: unknown): Refusal | null {
  const parsed = parseInput(complaintForwardingSchema(), request);
  if (!parsed.ok) return parsed.error;
  if (view.lifecycle.can({ type: 'FORWARDED' })) return null;
  return {
    code: 'complaint-decision-not-allowed',
    field: 'id',
    rule: 'R13',
    message: view.status.forwardedAt
      ? `the complaint was forwarded ${formatInstant(new Date(view.status.forwardedAt))}; the body above decides it`
      : `only a complaint filed through the provider, while it is with the provider, is forwarded; it is ${view.status.state}`,
  };
}

/** A case whose workflow has ended, as its store row tells it (for a complaint after the period, APPK art. 92). */
export interface ClosedCaseView {
  state: string;
  /** the decision of the last round was late */
  decisionWasLate: boolean;
  /** the quality-control authority, the last administrative instance, decided a complaint against the last result */
  lastInstanceDecided: boolean;
  /** issue 36: past its retention, the applicant's data and the documents are gone (domain/retention.ts) */
  anonymised?: boolean;
  now: number;
}

/**
 * R13 with APPK art. 92: a case closed because its filing period ran out still takes a complaint, as a late one
 * (lateness alone is no reason to refuse it); one closed by the last instance's decision, or withdrawn, does not.
 */
export function closedCaseComplaintRefusal(view: ClosedCaseView, request: unknown): Refusal | null {
  const parsed = parseFiling(request, view.now);
  if (!parsed.ok) return parsed.refusal;
  if (view.state !== 'closed') return complaintRefusal('id', notNowInWords(view.state as ApplicationStatus['state']));
  if (view.anonymised) {
    return complaintRefusal(
      'id',
      "the case is past its retention period: its documents and the applicant's data are no longer kept (Law on personal data, art. 12), so no review can be reopened from them",
    );
  }
  if (view.lastInstanceDecided) {
    return complaintRefusal(
      'id',
      'the quality-control authority, the last administrative instance, has decided on this result; it may now be contested in court (Administrative Procedural Code art. 91 §5)',
    );
  }
  const contestable: ComplaintSubject[] = view.decisionWasLate ? ['result', 'lateness'] : ['result'];
  const subject = subjectOf(parsed.filing.subject, contestable);
  if (subject === undefined) return chooseSubject(contestable);
  if (subject === 'inaction') {
    return complaintRefusal('subject', 'subject: the decision was taken; its lateness may be contested (subject lateness), not an inaction (R13)');
  }
  return latenessRefusal(subject, view.decisionWasLate);
}

/**
 * R13 with APPK art. 92: a complaint is decided while it is under review, with a motivated decision on its merits.
 * A late one's decision says whether the period is restored (§2); one not restored may be rejected for it (§3:
 * the reasons for missing the period are examined in the review and may be a ground to refuse to satisfy it), and
 * is never upheld. A complaint filed in time has no period to restore.
 */
export function complaintDecisionRefusal(
  view: { status: ComplaintStatus; lifecycle: ComplaintSnapshot },
  request: unknown,
  as: ComplaintDecider | null = null,
): Refusal | null {
  const parsed = parseInput(complaintDecisionSchema(), request);
  if (!parsed.ok) return parsed.error;
  const { outcome, periodRestored } = parsed.value;
  const notNow = (message: string): Refusal => ({ code: 'complaint-decision-not-allowed', field: 'outcome', rule: 'R13', message });
  // APPK art. 91 §4: while with the provider, only the provider's full satisfaction decides it.
  if (view.status.state === 'with-provider') {
    const until = view.status.providerDueAt ? ` until ${formatInstant(new Date(view.status.providerDueAt))}` : '';
    if (as === 'reviewing-body')
      return notNow(
        `the complaint is with the provider${until}, which may satisfy it in full; the body above decides it once it is forwarded (APPK art. 91 §4)`,
      );
    if (outcome !== 'upheld')
      return notNow(
        `the complaint is with the provider${until}: it is satisfied in full (upheld) or forwarded to the body above, which decides it (APPK art. 91 §4)`,
      );
  } else if (as === 'provider' && view.status.forwardedAt) {
    return notNow('the complaint has been forwarded to the body above the provider, which decides it (APPK art. 91 §4)');
  }
  if (!view.lifecycle.can({ type: 'REVIEWED', outcome })) {
    return {
      code: 'complaint-decision-not-allowed',
      field: 'outcome',
      rule: 'R13',
      message: `a complaint is decided only while it is under review; it is ${view.status.state}`,
    };
  }
  const refuse = (field: string, message: string): Refusal => ({ code: 'against-standard', field, rule: 'R13', message });
  if (!view.status.late) {
    if (periodRestored === undefined) return null;
    return refuse('periodRestored', 'periodRestored: the complaint was filed within the period; there is nothing to restore');
  }
  if (periodRestored === undefined) {
    return refuse(
      'periodRestored',
      'periodRestored: the complaint was filed after the period; the decision says whether the period is restored (APPK art. 92 §2)',
    );
  }
  if (!periodRestored && outcome !== 'rejected') {
    return refuse(
      'outcome',
      'outcome: a late complaint whose period is not restored is considered and rejected, not satisfied (APPK art. 92 §3); restore the period to uphold it',
    );
  }
  return null;
}
