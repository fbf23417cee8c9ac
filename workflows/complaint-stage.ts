/**
 * R13: the administrative (pre-trial) stage of a case. Complaints against the result in force are filed through
 * an update, taken by the main flow at its next safe point (like a withdrawal), registered by the working-time
 * rule (R7) and reviewed each in a child workflow with its own clock (complaint.ts). The stage is over when the
 * filing period has run out, or the quality-control authority (the last administrative instance) has decided on
 * the result, with nothing still under review; an upheld complaint against the result in force reopens the review instead.
 */
import { ParentClosePolicy, condition, log, patched, setCurrentDetails, startChild, uuid4 } from '@temporalio/workflow';
import { WorkingCalendar, formatInstant } from '../domain/calendar';
import type { ComplaintStatus, ComplaintSummary, FiledComplaint } from '../domain/case-status';
import { endsThePreTrialStage, filedComplaint, filedLate, reopensTheReview, subjectAndLateness, type ComplaintFiling } from '../domain/complaint';
import { PATCHES } from './patches';
import { contestableSubjects, subjectOf } from '../domain/guards';
import type { ApplicationCase } from './case-state';
import { complaintWorkflow } from './complaint';
import { count } from './metrics';
import { caseStore, documents } from './proxies';

type Filing = { request: ComplaintFiling & { submittedAt: string }; answer?: FiledComplaint };

export class ComplaintStage {
  private readonly filings: Filing[] = [];
  private readonly concluded: ComplaintStatus[] = [];
  /** tells apart the stage reports of the complaint phase (StageRecord.occurrence) */
  private events = 0;
  /**
   * a closed case's new run numbers them after its round (`r2-c1`), apart from its first run's (`c1`); empty in a
   * run that started with the application
   */
  private occurrences = '';

  constructor(private readonly kase: ApplicationCase) {}

  /** R13: the case's new run after a complaint upheld against its closed result; its reports told apart by round. */
  reopenedAfterClose(): void {
    this.occurrences = `r${this.kase.status.round}-`;
  }

  private nextOccurrence(): string {
    return `${this.occurrences}c${++this.events}`;
  }

  /**
   * A complaint as the applicant files it (its guard let it through), answered once the main flow has registered
   * and started it.
   */
  async file(request: ComplaintFiling & { submittedAt: string }): Promise<FiledComplaint> {
    // A filing that names no subject contests the only one the case leaves (its validator saw the same case).
    const subject = subjectOf(request.subject, contestableSubjects(this.kase.view()));
    const filing: Filing = { request: subject ? { ...request, subject } : request };
    this.filings.push(filing);
    await condition(() => filing.answer !== undefined);
    return filing.answer!;
  }

  /** A filing to register, or a review's conclusion, waits for the main flow. */
  pending(): boolean {
    return this.filings.length > 0 || this.concluded.length > 0;
  }

  /**
   * R13 while the decision is owed: registers complaints (against the provider's inaction, the decision being
   * overdue) and takes the conclusions of reviews; an upheld complaint against the inaction orders the decision
   * at once. Answers the moment it was ordered, if it was.
   */
  async takeDuringReview(): Promise<Date | null> {
    let ordered: Date | null = null;
    for (let filing = this.filings.shift(); filing; filing = this.filings.shift()) filing.answer = await this.register(filing.request);
    for (let conclusion = this.concluded.shift(); conclusion; conclusion = this.concluded.shift()) {
      this.kase.fire({ type: 'COMPLAINT_CONCLUDED', reopens: false });
      if (conclusion.subject === 'inaction' && (conclusion.outcome === 'upheld' || conclusion.outcome === 'partly-upheld')) {
        ordered = new Date(conclusion.decidedAt!);
      }
      await this.kase.recordStage({ occurrence: this.nextOccurrence() });
    }
    return ordered;
  }

  /** Takes complaints until the stage is over, or an upheld complaint reopens the review. */
  async untilOverOrReopened(): Promise<'reopened' | 'over'> {
    const { status } = this.kase;
    let lastInstanceDecided = false;
    for (;;) {
      const filing = this.filings.shift();
      if (filing) {
        filing.answer = await this.register(filing.request);
        continue;
      }
      const conclusion = this.concluded.shift();
      if (conclusion) {
        const reopens = reopensTheReview(conclusion, status.round) && (await this.yearStillFree());
        if (reopens) return 'reopened'; // reopenReview takes the case back to review, its new term with it
        // Only the authority's decision on the result is the last instance's word (APPK art. 91–92): one on
        // lateness or inaction leaves the result contestable within the period. Cases running since before keep
        // the reading they started with (any decision of the authority ended the stage).
        if (
          patched(PATCHES.stageEndsOnResultDecision)
            ? endsThePreTrialStage(conclusion)
            : conclusion.addressee === 'quality-authority' && conclusion.outcome !== null
        ) {
          lastInstanceDecided = true;
        }
        this.kase.fire({ type: 'COMPLAINT_CONCLUDED', reopens });
        await this.kase.recordStage({ occurrence: this.nextOccurrence() });
        continue;
      }
      const periodEnd = Date.parse(status.complaintPeriodEndsAt!);
      if (status.state === 'notified' && (lastInstanceDecided || Date.now() >= periodEnd)) return 'over';
      const waiting = () => this.filings.length > 0 || this.concluded.length > 0;
      if (Date.now() >= periodEnd) {
        setCurrentDetails(
          `Complaint period over; waiting for ${status.complaints.filter((c) => c.outcome === null).length} complaint(s) under review (R13)`,
        );
        await condition(waiting);
      } else {
        const until = formatInstant(new Date(periodEnd));
        setCurrentDetails(
          status.state === 'contested'
            ? `Contested: complaint(s) under review; complaints may be filed until ${until} (R13)`
            : `Result delivered; complaints may be filed until ${until} (R13)`,
        );
        await condition(waiting, periodEnd - Date.now(), { summary: `complaints may be filed until ${until} (R13)` });
      }
    }
  }

  /**
   * R10: a refused application reopens only while no newer application of the teacher holds the year; if one
   * does, the upheld complaint stands on record (its decision says so) and the newer application is decided.
   */
  private async yearStillFree(): Promise<boolean> {
    const { kase } = this;
    if (kase.status.decision !== 'refuse') return true; // an acceptance holds it still
    const { heldBy } = await caseStore.reclaimAcademicYear.executeWithOptions(
      { summary: "take the teacher's year back to reopen the review (R10)" },
      [{ applicationId: kase.id }],
    );
    if (heldBy === null) return true;
    kase.yearHeldBy(heldBy);
    log.info('upheld complaint does not reopen: a newer application holds the year', { applicationId: kase.id, heldBy });
    return false;
  }

  /** R7, R13: registers a complaint at the next working moment and starts its review with its own clock. */
  private async register(request: ComplaintFiling & { submittedAt: string }): Promise<FiledComplaint> {
    const { kase } = this;
    const { input, status } = kase;
    const today = new WorkingCalendar(
      await caseStore.loadCalendarOverrides.executeWithOptions({ summary: "read operators' calendar overrides (R7, R13)" }, []),
    );
    const subject = request.subject ?? 'result';
    // APPK art. 92: a complaint filed after the period is registered and considered all the same, marked late, for
    // the reviewing body to restore the period or not; one against inaction has no period.
    const late = subject !== 'inaction' && filedLate(status.complaintPeriodEndsAt, Date.parse(request.submittedAt));
    const complaintId = uuid4();
    const filed = filedComplaint(
      request,
      { complaintId, applicationId: kase.id, providerUnit: input.providerUnit, contestedRound: status.round, late },
      today,
    );
    const complaint = filed.input;
    if (filed.calendarGaps.length > 0) await caseStore.reportCalendarGap({ applicationId: kase.id, years: filed.calendarGaps });
    const { workflowId } = filed.start;
    const child = await startChild(complaintWorkflow, {
      ...filed.start,
      args: [complaint],
      // The complaint is owed a review by law even if this case's workflow is stopped by an operator.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    const summary: ComplaintSummary = {
      complaintId,
      addressee: request.addressee,
      ...(request.subject && { subject }),
      ...(late && { late }),
      submittedAt: request.submittedAt,
      registeredAt: complaint.registeredAt,
      dueAt: complaint.dueAt,
      contestedRound: status.round,
      outcome: null,
      decidedAt: null,
    };
    status.complaints.push(summary);
    void child.result().then(
      (result) => {
        summary.outcome = result.outcome;
        summary.decidedAt = result.decidedAt;
        this.concluded.push(result);
      },
      (error: Error) => {
        // Terminated or failed by hand: the case stops waiting for it; support sees it marked.
        log.warn('complaint workflow ended without a decision', { complaintId, error: error.message });
        summary.endedWithoutDecision = true;
        this.concluded.push({
          ...complaint,
          ...subjectAndLateness(complaint),
          periodRestored: null,
          state: 'received',
          overdue: false,
          outcome: null,
          motivation: null,
          official: null,
          decidedAt: null,
          notifiedAt: null,
        });
      },
    );
    kase.fire({ type: 'COMPLAINT_FILED' });
    count('complaintFiled', { addressee: request.addressee });
    await kase.recordStage({ occurrence: this.nextOccurrence() });
    return { complaintId, workflowId, addressee: request.addressee, subject, late, registeredAt: complaint.registeredAt, dueAt: complaint.dueAt };
  }

  /**
   * R13: an upheld complaint supersedes the result; the provider decides again within the channel's term. `after`:
   * the complaint was decided in this run, or against the closed case that this new run takes back to review.
   */
  async reopenReview(after: 'complaint-in-run' | 'closed-case' = 'complaint-in-run'): Promise<Date> {
    const { kase } = this;
    const { status } = kase;
    kase.calendar = new WorkingCalendar(
      await caseStore.loadCalendarOverrides.executeWithOptions({ summary: "read operators' calendar overrides (R3)" }, []),
    );
    const reopenedAt = kase.calendar.registrationMoment(new Date());
    const decisionDueAt = kase.termEnd(reopenedAt);
    kase.reopen(decisionDueAt, after === 'closed-case' ? { type: 'CLOSED_CASE_REOPENED' } : { type: 'COMPLAINT_CONCLUDED', reopens: true });
    if (after === 'closed-case') this.reopenedAfterClose();
    await kase.recordStage({
      decisionDueAt: status.decisionDueAt!,
      overdue: false,
      ...kase.roundStage(),
      // the administrative stage the closed case ended begins again with the new result
      ...(after === 'closed-case' && { preTrialCompletedAt: null }),
    });
    return decisionDueAt;
  }

  /** R13: the administrative stage is over; where complaints were heard, the cabinet gets a record of it. */
  async close(): Promise<void> {
    const { kase } = this;
    const { status } = kase;
    const heard = status.complaints.length > 0;
    kase.close(heard);
    count('closed', { complaints_heard: heard });
    // A closed case's new run closes again: its report and its pre-trial record are told apart by its round.
    const again = this.occurrences !== '';
    await kase.recordStage({ ...(heard && { preTrialCompletedAt: status.preTrialCompletedAt! }), ...(again && kase.roundStage()) });
    if (heard) {
      await documents.issueNotice.executeWithOptions({ summary: 'record in the personal cabinet that the pre-trial stage has ended (R13)' }, [
        { applicationId: kase.id, kind: 'pre-trial-record', ...(again && { round: status.round }) },
      ]);
      count('noticeIssued', { kind: 'pre-trial-record' });
    }
    setCurrentDetails(
      heard
        ? `Closed: the administrative stage is over (${status.complaints.length} complaint(s) heard); the cabinet holds the pre-trial record`
        : `Closed: ${status.decision === 'accept' ? 'documents accepted' : 'motivated refusal'}; no complaint was filed in the period (R13)`,
    );
  }
}
