/** The workflows' messages, shared by the workflows and their callers. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ProviderDecision, Withdrawal } from '../domain/application';
import type { Addressee, ComplaintDecision, ComplaintFiling, ComplaintOutcome, ComplaintState } from '../domain/complaint';
import type { ApplicationState } from '../domain/lifecycle';
import type { CustodyEvent, CustodyStatus } from '../domain/custody';
import type { Channel } from '../domain/service';
import type { StandardId } from '../domain/standards';

/** A complaint as its application sees it (R13). Times are ISO instants. */
export interface ComplaintSummary {
  complaintId: string;
  addressee: Addressee;
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
  /** R13: the last moment a complaint against the result in force may be filed */
  complaintPeriodEndsAt: string | null;
  complaints: ComplaintSummary[];
  /** R13: when the administrative (pre-trial) stage ended, after which a court may be asked */
  preTrialCompletedAt: string | null;
  /** R5, R14: the result's way through the State Corporation (earlier standard); null for other channels */
  custody: CustodyStatus | null;
}

export const statusQuery = defineQuery<ApplicationStatus>('status');

/** The provider's decision (R3, R5, R9); refused by the validator unless the application is under review. */
export const decideUpdate = defineUpdate<ApplicationStatus, [ProviderDecision]>('decide');

/** The applicant withdraws the application; allowed only before the decision. Answers once the case is closed. */
export const withdrawUpdate = defineUpdate<ApplicationStatus, [Withdrawal]>('withdraw');

/**
 * R5, R14: the State Corporation issues the result, or asks for it again after its return; the provider sends it
 * again. Refused by the validator unless the case is at that step. Answers once it is recorded.
 */
export const resultCustodyUpdate = defineUpdate<ApplicationStatus, [CustodyEvent]>('resultCustody');

/** What a filed complaint is told at once: its id, when it is registered and when its review is due (R13). */
export interface FiledComplaint {
  complaintId: string;
  workflowId: string;
  addressee: Addressee;
  registeredAt: string;
  dueAt: string;
}

/**
 * A complaint against the result in force (R13), with the instant the applicant filed it fixed by the caller.
 * Refused by the validator unless the result has been delivered and the filing period is open.
 */
export const fileComplaintUpdate = defineUpdate<FiledComplaint, [ComplaintFiling & { submittedAt: string }]>('fileComplaint');

/** What operators, the API and support staff see of a complaint. */
export interface ComplaintStatus {
  complaintId: string;
  applicationId: string;
  addressee: Addressee;
  state: ComplaintState;
  submittedAt: string;
  registeredAt: string;
  dueAt: string;
  overdue: boolean;
  contestedRound: number;
  outcome: ComplaintOutcome | null;
  motivation: string | null;
  official: string | null;
  decidedAt: string | null;
  notifiedAt: string | null;
}

export const complaintStatusQuery = defineQuery<ComplaintStatus>('complaintStatus');

/** The reviewing body's motivated decision on a complaint (R13); refused unless the complaint is under review. */
export const decideComplaintUpdate = defineUpdate<ComplaintStatus, [ComplaintDecision]>('decideComplaint');
