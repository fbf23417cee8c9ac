/** The application workflow's messages, shared by the workflow and its callers. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ProviderDecision, Withdrawal } from '../domain/application';
import type { ApplicationState } from '../domain/lifecycle';

/** What operators, the API and support staff see of a case. Times are ISO instants. */
export interface ApplicationStatus {
  applicationId: string;
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
}

export const statusQuery = defineQuery<ApplicationStatus>('status');

/** The provider's decision (R3, R5, R9); refused by the validator unless the application is under review. */
export const decideUpdate = defineUpdate<ApplicationStatus, [ProviderDecision]>('decide');

/** The applicant withdraws the application; allowed only before the decision. Answers once the case is closed. */
export const withdrawUpdate = defineUpdate<ApplicationStatus, [Withdrawal]>('withdraw');
