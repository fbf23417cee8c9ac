/**
 * What a case looks like to operators, the API and support staff, and what a filed complaint is told: the
 * shapes the workflows answer with, and the case that the update guards (guards.ts) decide on.
 */
import type { Bilingual } from './fields';
import type { IdentityCheck } from './identity';
import type { ApplicationInput, ProviderDecision } from './application';
import type { Addressee, ComplaintDecider, ComplaintOutcome, ComplaintState, ComplaintSubject, Forwarder } from './complaint';
import type { CustodyStatus } from './custody';
import type { ApplicationState } from './lifecycle';
import type { Channel } from './service';
import type { StandardId } from './standards';

/** A complaint as its application sees it (R13). Times are ISO instants. */
export interface ComplaintSummary {
  complaintId: string;
  addressee: Addressee;
  /** what it contests; `result` when absent (complaints from before the field) */
  subject?: ComplaintSubject;
  /** filed after the period (APPK art. 92) */
  late?: boolean;
  submittedAt: string;
  registeredAt: string;
  dueAt: string;
  contestedRound: number;
  outcome: ComplaintOutcome | null;
  decidedAt: string | null;
  /** its workflow was terminated or failed by hand before a decision */
  endedWithoutDecision?: boolean;
}

/** A result of the application that a later one superseded after an upheld complaint (R13). */
export interface SupersededResult {
  round: number;
  decision: ProviderDecision['decision'];
  decidedAt: string;
  notifiedAt: string | null;
  supersededAt: string;
}

/** What operators, the API and support staff see of a case. Times are ISO instants. */
export interface ApplicationStatus {
  applicationId: string;
  /** the standard in force at submission, which the case follows to its end */
  standard: StandardId;
  channel: Channel;
  state: ApplicationState;
  submittedAt: string;
  registeredAt: string | null;
  decisionDueAt: string | null;
  overdue: boolean;
  decision: ProviderDecision['decision'] | null;
  refusalGrounds: number[] | null;
  decidedAt: string | null;
  notifiedAt: string | null;
  withdrawnAt: string | null;
  /** 1 for the first result; each upheld complaint that reopens the review starts the next round (R13) */
  round: number;
  supersededResults: SupersededResult[];
  /** R13: the last moment a complaint against the result in force may be filed in time (APPK art. 92 §1) */
  complaintPeriodEndsAt: string | null;
  complaints: ComplaintSummary[];
  /** R13: an upheld complaint against the provider's inaction ordered the decision at once (the due moment then) */
  decisionOrderedAt?: string;
  /**
   * R10: a newer application of the teacher that held the year when a complaint against this refusal was
   * upheld, so this case was not reopened (absent otherwise)
   */
  yearHeldBy?: string;
  /** R13: when the administrative (pre-trial) stage ended, after which a court may be asked */
  preTrialCompletedAt: string | null;
  /** R5, R14: the result's way through the State Corporation (earlier standard); null for other channels */
  custody: CustodyStatus | null;
  /**
   * R8 (issue 33): what the person register said of the applicant — her name as it holds it, which the documents
   * print, or that it holds no such person; absent when it was not asked (no consent, or a case from before)
   */
  identity?: IdentityCheck;
}

/** What a filed complaint is told at once: its id, when it is registered and when its review is due (R13). */
export interface FiledComplaint {
  complaintId: string;
  workflowId: string;
  addressee: Addressee;
  subject: ComplaintSubject;
  /** filed after the period: registered, and the reviewing body decides whether to restore it (APPK art. 92) */
  late: boolean;
  registeredAt: string;
  dueAt: string;
}

/** What operators, the API and support staff see of a complaint. */
export interface ComplaintStatus {
  complaintId: string;
  applicationId: string;
  addressee: Addressee;
  subject: ComplaintSubject;
  /** filed after the period, asking to restore it (APPK art. 92 §2) */
  late: boolean;
  restorationReason: string | null;
  /** a late complaint's decision: whether the period was restored */
  periodRestored: boolean | null;
  state: ComplaintState;
  submittedAt: string;
  registeredAt: string;
  dueAt: string;
  overdue: boolean;
  contestedRound: number;
  /** filed through the provider: the end of its 3 working days to satisfy it in full (APPK art. 91 §4) */
  providerDueAt?: string | null;
  /** sent on to the superior body, when and by whom (the service when the provider's 3 days ended) */
  forwardedAt?: string | null;
  forwardedBy?: Forwarder | null;
  /** who decided: the provider satisfying it in full, or the body reviewing it */
  decidedBy?: ComplaintDecider | null;
  outcome: ComplaintOutcome | null;
  /** in each document's language */
  motivation: Bilingual | null;
  official: string | null;
  decidedAt: string | null;
  notifiedAt: string | null;
}

/**
 * R13, APPK art. 92: a closed case taken back to review by a complaint upheld against its result — the second
 * argument of a new run of its workflow (workflows/application.ts): the case as the store last recorded it, and the
 * complaint that reopened it.
 */
export interface ClosedCaseReopening {
  view: ApplicationStatus;
  reopenedBy: ComplaintSummary;
}

/**
 * Whether a closed case is reopened by a complaint upheld against its result, as the store finds it (R10, R13): it
 * is, with the application as admitted and the case as recorded; or it is not, because it is no longer closed (a
 * reopening already runs), a later result superseded the one contested, or a newer application holds the year.
 */
export type ClosedCaseOnRecord =
  | { reopens: true; input: ApplicationInput; view: ApplicationStatus }
  | { reopens: false; why: 'not-closed' | 'result-superseded' }
  | { reopens: false; why: 'year-held'; heldBy: string };

/** A complaint's summary on its application, from the complaint's own status. */
export function complaintSummaryOf(c: ComplaintStatus): ComplaintSummary {
  return {
    complaintId: c.complaintId,
    addressee: c.addressee,
    subject: c.subject,
    ...(c.late && { late: true }),
    submittedAt: c.submittedAt,
    registeredAt: c.registeredAt,
    dueAt: c.dueAt,
    contestedRound: c.contestedRound,
    outcome: c.outcome,
    decidedAt: c.decidedAt,
  };
}

/** A case as it stands on receipt, before anything has happened to it. */
export function receivedStatus(
  fields: Pick<ApplicationStatus, 'applicationId' | 'standard' | 'channel' | 'submittedAt' | 'custody'>,
): ApplicationStatus {
  return {
    ...fields,
    state: 'received',
    registeredAt: null,
    decisionDueAt: null,
    overdue: false,
    decision: null,
    refusalGrounds: null,
    decidedAt: null,
    notifiedAt: null,
    withdrawnAt: null,
    round: 1,
    supersededResults: [],
    complaintPeriodEndsAt: null,
    complaints: [],
    preTrialCompletedAt: null,
  };
}
