/**
 * One application's case as its workflow holds it, and the one owner of its state (issue 29): the lifecycle
 * machine's snapshot (the single source of truth for states), the status that queries answer, the search
 * attributes that mirror it for the Temporal UI, and the requests that handlers took and the main flow has yet to
 * apply. Every handler of the case is registered here (`listen`), each deciding through the pure guards of
 * domain/guards.ts; the main flow applies what they accepted at its safe points. The result's custody and the
 * complaint stage keep their own parts (custody.ts, complaint-stage.ts) and change the case through its methods.
 */
import { condition, patched, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Defect } from '../domain/admissibility';
import { officialDecision, type ApplicationInput, type CaseDecision } from '../domain/application';
import type { WorkingCalendar } from '../domain/calendar';
import { receivedStatus, type ClosedCaseReopening, type FiledComplaint } from '../domain/case-status';
import type { ComplaintFiling } from '../domain/complaint';
import { custodyBeforeResult, type CustodyEvent } from '../domain/custody';
import {
  complaintFilingRefusal,
  custodyStepRefusal,
  decisionRefusal,
  signedDocumentsRefusal,
  withdrawalRefusal,
  type ApplicationCaseView,
} from '../domain/guards';
import type { SignedDecisionDocuments } from '../domain/notices';
import { advance, startLifecycle, type LifecycleEvent, type LifecycleSnapshot } from '../domain/lifecycle';
import { ApplicationStateKey, DecisionDueAtKey, OverdueKey } from '../domain/search-attributes';
import { serviceTermEnd, type ChannelRules, type StandardProfile } from '../domain/standards';
import type { StageRecord } from '../activities';
import { decideUpdate, fileComplaintUpdate, resultCustodyUpdate, statusQuery, withdrawUpdate, type ApplicationStatus } from './messages';
import { caseStore } from './proxies';
import { PATCHES } from './patches';
import { refuseWith } from './refusals';

/**
 * What the case asks of its parts when a message arrives: the result's custody takes a reported step
 * (custody.ts), the complaint stage a filed complaint (complaint-stage.ts); each answers once the main flow has
 * applied it.
 */
export interface CaseParts {
  custody: { pending(): boolean; report(event: CustodyEvent): Promise<ApplicationStatus> };
  complaints: { file(request: ComplaintFiling & { submittedAt: string }): Promise<FiledComplaint> };
}

export class ApplicationCase {
  readonly id: string;
  readonly rules: ChannelRules;
  readonly status: ApplicationStatus;
  lifecycle: LifecycleSnapshot = startLifecycle();
  /** the decision of the current round, once taken */
  decision: CaseDecision | undefined;
  /** R9: the defects an automatic refusal was taken for */
  defects: Defect[] | undefined;
  /** a withdrawal is taken at the next safe point of the main flow, so it never races a stage being recorded */
  withdrawalRequested = false;
  /** the withdrawal is in the store: the teacher's year is free (R10) */
  withdrawalStored = false;
  /** R7: the working calendar with the operators' overrides, read when the case registers (and again on a reopen) */
  calendar!: WorkingCalendar;
  /** when the result in force reached the applicant, in workflow time (epoch ms; 0 before) */
  resultDeliveredAt = 0;
  /** R13: the filing period is over and nothing is under review */
  administrativeStageOver = false;
  /** the result's way through the State Corporation and the complaint stage, once the case listens */
  private parts: CaseParts | undefined;

  constructor(
    readonly input: ApplicationInput,
    readonly standard: StandardProfile,
  ) {
    this.id = input.applicationId;
    this.rules = standard.channels[input.channel]!;
    this.status = receivedStatus({
      applicationId: input.applicationId,
      standard: standard.id,
      channel: input.channel,
      submittedAt: input.submittedAt,
      custody: this.rules.delivery === 'state-corporation' ? custodyBeforeResult(input.homeVisit ? 'home' : 'state-corporation') : null,
    });
  }

  /**
   * R3: the end of the channel's term for a registration (or a reopening) at `from`, by the case's calendar. A term
   * given before the one working day counted in working time (000 §7) was counted from the next day: a case replays
   * the term it was given (`term-in-working-time`).
   */
  termEnd(from: Date): Date {
    const counting = patched(PATCHES.termInWorkingTime) ? 'as-the-profile-says' : 'from-next-day';
    return serviceTermEnd(this.rules, from, this.calendar, this.input.serviceLocality, counting);
  }

  /** The case as the guards decide on it. */
  view(): ApplicationCaseView {
    return {
      status: this.status,
      lifecycle: this.lifecycle,
      standard: this.standard,
      decided: this.decision !== undefined,
      withdrawalRequested: this.withdrawalRequested,
      custodyStepPending: this.parts?.custody.pending() ?? false,
      resultDeliveredAt: this.resultDeliveredAt,
      administrativeStageOver: this.administrativeStageOver,
      now: Date.now(),
    };
  }

  /**
   * Every message of the case: the status query, the provider's decision, the applicant's withdrawal, the State
   * Corporation's and the provider's custody steps (R14) and the applicant's complaints (R13).
   */
  listen(parts: CaseParts): void {
    this.parts = parts;
    setHandler(statusQuery, () => this.status);
    setHandler(resultCustodyUpdate, async (event) => parts.custody.report(event), {
      validator: (event) => refuseWith(custodyStepRefusal(this.view(), event)),
    });
    setHandler(fileComplaintUpdate, async (request) => parts.complaints.file(request), {
      validator: (request) => refuseWith(complaintFilingRefusal(this.view(), request)),
    });
    setHandler(
      decideUpdate,
      (d, signed) => {
        this.takeDecision(officialDecision(d, signed));
        return this.status;
      },
      { validator: (d, signed?: SignedDecisionDocuments) => refuseWith(decisionRefusal(this.view(), d) ?? signedDocumentsRefusal(signed)) },
    );
    setHandler(
      withdrawUpdate,
      async () => {
        // R10: answered once the withdrawal is stored, so the teacher's year is free when the answer arrives.
        this.withdrawalRequested = true;
        await condition(() => this.withdrawalStored);
        return this.status;
      },
      { validator: (w) => refuseWith(withdrawalRefusal(this.view(), w)) },
    );
  }

  /** An event of the lifecycle: the machine moves, the status and the UI's search attributes follow. */
  fire(event: LifecycleEvent): void {
    this.lifecycle = advance(this.lifecycle, event);
    this.status.state = this.lifecycle.value as ApplicationStatus['state'];
    this.status.overdue = this.lifecycle.context.overdue;
    upsertSearchAttributes([
      { key: ApplicationStateKey, value: this.status.state },
      { key: OverdueKey, value: this.status.overdue },
    ]);
  }

  /** The provider's decision (or the automatic check's) enters the case: lifecycle, status and all. */
  takeDecision(d: CaseDecision): void {
    this.decision = d;
    this.fire({ type: 'DECISION_MADE', decision: d.decision });
    this.status.decision = d.decision;
    this.status.refusalGrounds = d.grounds ?? null;
    this.status.decidedAt = new Date().toISOString();
  }

  /**
   * R13: an upheld complaint supersedes the result in force; the case goes back to review with a new term, its
   * decision and the last round's dates cleared.
   */
  reopen(decisionDueAt: Date, event: Extract<LifecycleEvent, { type: 'COMPLAINT_CONCLUDED' | 'CLOSED_CASE_REOPENED' }>): void {
    const { status } = this;
    status.supersededResults.push({
      round: status.round,
      decision: status.decision!,
      decidedAt: status.decidedAt!,
      notifiedAt: status.notifiedAt,
      supersededAt: new Date().toISOString(),
    });
    status.round += 1;
    this.decision = undefined;
    this.defects = undefined;
    Object.assign(status, { decision: null, refusalGrounds: null, decidedAt: null, notifiedAt: null, complaintPeriodEndsAt: null });
    status.decisionDueAt = decisionDueAt.toISOString();
    this.fire(event);
    upsertSearchAttributes([{ key: DecisionDueAtKey, value: decisionDueAt }]);
  }

  /**
   * R13, APPK art. 92: a closed case's new run takes the case as the store recorded it, with the complaint upheld
   * against its result; its administrative stage begins again with the new result (reopen() follows).
   */
  restore({ view, reopenedBy }: ClosedCaseReopening): void {
    Object.assign(this.status, view, { preTrialCompletedAt: null, complaints: [...view.complaints, reopenedBy] });
    delete this.status.decisionOrderedAt;
    delete this.status.yearHeldBy;
  }

  /** R10: an upheld complaint does not reopen the case: a newer application of the teacher holds the year. */
  yearHeldBy(applicationId: string): void {
    this.status.yearHeldBy = applicationId;
  }

  /** R13: the administrative stage is over; `heard`: complaints were heard, and the stage's end is recorded. */
  close(heard: boolean): void {
    this.administrativeStageOver = true;
    this.fire({ type: 'CASE_CLOSED' });
    if (heard) this.status.preTrialCompletedAt = new Date().toISOString();
  }

  /** Records the stage the case is in (or `state`), with its report to monitoring (R12). */
  async recordStage(fields: Omit<StageRecord, 'applicationId' | 'state' | 'view'> & { state?: string } = {}): Promise<void> {
    await caseStore.recordStage({ applicationId: this.id, state: this.status.state, view: this.status, ...fields });
  }

  /** Stage reports of a later round are told apart from the first round's (see StageRecord.occurrence). */
  roundStage(): Pick<StageRecord, 'round' | 'occurrence'> {
    return this.status.round > 1 ? { round: this.status.round, occurrence: `r${this.status.round}` } : {};
  }

  /** Applies a requested withdrawal at a safe point; true when the case is now closed by it. */
  async withdrawnHere(): Promise<boolean> {
    if (!this.withdrawalRequested || this.status.state === 'withdrawn') return this.withdrawalRequested;
    this.fire({ type: 'WITHDRAWN' });
    this.status.withdrawnAt = new Date().toISOString();
    await this.recordStage();
    this.withdrawalStored = true;
    setCurrentDetails('Withdrawn by the applicant before a decision; the case is closed');
    return true;
  }
}
