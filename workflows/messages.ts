/** The workflows' messages, shared by the workflows and their callers. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ProviderDecision, Withdrawal } from '../domain/application';
import type { ApplicationStatus, ComplaintStatus, FiledComplaint } from '../domain/case-status';
import type { ComplaintDecider, ComplaintDecision, ComplaintFiling, ComplaintForwarding } from '../domain/complaint';
import type { CustodyEvent } from '../domain/custody';
import type { SignedDecisionDocuments } from '../domain/notices';

export type { ApplicationStatus, ComplaintStatus, ComplaintSummary, FiledComplaint, SupersededResult } from '../domain/case-status';

export const statusQuery = defineQuery<ApplicationStatus>('status');

/** The provider's decision (R3, R5, R9); refused by the validator unless the application is under review. */
/** issue 31: the second argument, the documents the official signed, as the API checked them (absent: from before) */
export const decideUpdate = defineUpdate<ApplicationStatus, [ProviderDecision, SignedDecisionDocuments?]>('decide');

/** The applicant withdraws the application; allowed only before the decision. Answers once the case is closed. */
export const withdrawUpdate = defineUpdate<ApplicationStatus, [Withdrawal]>('withdraw');

/**
 * R5, R14: the State Corporation issues the result, or asks for it again after its return; the provider sends it
 * again. Refused by the validator unless the case is at that step. Answers once it is recorded.
 */
export const resultCustodyUpdate = defineUpdate<ApplicationStatus, [CustodyEvent]>('resultCustody');

/**
 * A complaint against the result in force (R13), with the instant the applicant filed it fixed by the caller.
 * Refused by the validator unless the result has been delivered and the filing period is open.
 */
export const fileComplaintUpdate = defineUpdate<FiledComplaint, [ComplaintFiling & { submittedAt: string }]>('fileComplaint');

export const complaintStatusQuery = defineQuery<ComplaintStatus>('complaintStatus');

/**
 * A motivated decision on a complaint (R13): the reviewing body's while it is under review, or the provider's full
 * satisfaction while it is with the provider (APPK art. 91 §4); `as` is the capacity the API found the caller in
 * (absent: the administrator, in whichever the stage needs). Refused by the validator otherwise.
 */
/** issue 31: the third argument, the documents the official signed, as the API checked them (absent: from before) */
export const decideComplaintUpdate = defineUpdate<ComplaintStatus, [ComplaintDecision, { as?: ComplaintDecider | null }?, SignedDecisionDocuments?]>(
  'decideComplaint',
);

/** The provider sends a complaint filed through it on to the body above (APPK art. 91 §4); refused unless with it. */
export const forwardComplaintUpdate = defineUpdate<ComplaintStatus, [ComplaintForwarding]>('forwardComplaint');
