/**
 * One complaint against an application's result (R13), as a child of the application's workflow with a clock
 * of its own: registered at the next working moment (R7); one filed through the provider stays with it 3 working
 * days, in which it may satisfy it in full, and then goes on, with the case file, to the body above it (APPK art.
 * 91 §4), which decides within 5 working days of the registration; one to the quality-control authority is
 * decided within 15. Escalated up the tree when late (the review is still owed), and answered with a motivated,
 * signed decision in the applicant's cabinet.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  ParentClosePolicy,
  condition,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { formatInstant } from '../domain/calendar';
import { inBothLanguages } from '../domain/fields';
import { workflowIdFor } from '../domain/case-ids';
import { complaintSummaryOf, type ClosedCaseOnRecord, type ClosedCaseReopening } from '../domain/case-status';
import { complaintDecisionRefusal, complaintForwardRefusal, signedDocumentsRefusal } from '../domain/guards';
import type { SignedDecisionDocuments } from '../domain/notices';
import {
  REVIEW_TERM_WORKING_DAYS,
  SUPERIOR_BODY,
  advanceComplaint,
  reopensTheReview,
  startComplaint,
  subjectAndLateness,
  type ComplaintDecision,
  type ComplaintEvent,
  type ComplaintInput,
  type ComplaintDecider,
  type ComplaintState,
  type Forwarder,
} from '../domain/complaint';
import { ComplaintStateKey, OverdueKey, applicationRunAttributes } from '../domain/search-attributes';
import { complaintStatusQuery, decideComplaintUpdate, forwardComplaintUpdate, type ComplaintStatus } from './messages';
import { PATCHES } from './patches';
import { count } from './metrics';
import { caseStore, documents } from './proxies';
import { refuseWith } from './refusals';
import { awaitWithinTerm } from './terms';

/**
 * The workflow of one complaint (`complaint-<complaintId>`), started by its application's workflow with the
 * filing registered and timed (domain/complaint.ts `ComplaintInput`); answers the complaint's final status.
 * Messages: the `complaintStatus` query and the `decideComplaint` update, refused by its guard.
 */
export async function complaintWorkflow(input: ComplaintInput): Promise<ComplaintStatus> {
  let lifecycle = startComplaint();
  let decision: ComplaintDecision | undefined;
  // issue 31: its documents as the deciding official signed them (absent: a decision from before)
  let signedDecision: SignedDecisionDocuments | undefined;
  const status: ComplaintStatus = {
    complaintId: input.complaintId,
    applicationId: input.applicationId,
    addressee: input.addressee,
    ...subjectAndLateness(input),
    periodRestored: null,
    state: 'received',
    submittedAt: input.submittedAt,
    registeredAt: input.registeredAt,
    dueAt: input.dueAt,
    overdue: false,
    contestedRound: input.contestedRound,
    providerDueAt: null,
    forwardedAt: null,
    forwardedBy: null,
    decidedBy: null,
    outcome: null,
    motivation: null,
    official: null,
    decidedAt: null,
    notifiedAt: null,
  };
  const fire = (event: ComplaintEvent) => {
    lifecycle = advanceComplaint(lifecycle, event);
    status.state = lifecycle.value as ComplaintState;
    status.overdue = lifecycle.context.overdue;
    upsertSearchAttributes([
      { key: ComplaintStateKey, value: status.state },
      { key: OverdueKey, value: status.overdue },
    ]);
  };
  const recordStage = (overdue?: boolean) =>
    caseStore.recordComplaintStage({ complaintId: input.complaintId, state: status.state, view: status, ...(overdue && { overdue }) });

  setHandler(complaintStatusQuery, () => status);
  setHandler(
    decideComplaintUpdate,
    (d, _by, signed) => {
      decision = d;
      signedDecision = signed;
      status.decidedBy = status.state === 'with-provider' ? 'provider' : 'reviewing-body';
      fire({ type: 'REVIEWED', outcome: d.outcome });
      status.outcome = d.outcome;
      status.motivation = inBothLanguages(d.motivation);
      status.official = d.official;
      status.periodRestored = d.periodRestored ?? null;
      status.decidedAt = new Date().toISOString();
      return status;
    },
    {
      validator: (d, by?: { as?: ComplaintDecider | null }, signed?: SignedDecisionDocuments) =>
        refuseWith(complaintDecisionRefusal({ status, lifecycle }, d, by?.as ?? null) ?? signedDocumentsRefusal(signed)),
    },
  );
  let forwardedBy: Forwarder | null = null;
  setHandler(
    forwardComplaintUpdate,
    () => {
      forwardedBy = 'provider';
      return status;
    },
    { validator: (f) => refuseWith(complaintForwardRefusal({ status, lifecycle }, f)) },
  );

  await caseStore.recordComplaint.executeWithOptions({ summary: 'store the complaint (R13)' }, [input]);

  const registeredAt = new Date(input.registeredAt);
  if (registeredAt.getTime() > Date.now()) {
    fire({ type: 'REGISTRATION_DEFERRED' });
    await recordStage();
    const until = formatInstant(registeredAt);
    setCurrentDetails(`Complaint received outside working hours; registers at ${until} (R7, R13)`);
    await sleep(registeredAt.getTime() - Date.now(), { summary: `complaint registration at ${until}` });
  }
  // APPK art. 91 §4: filed through the provider, it is with the provider for 3 working days (cases filed before the
  // road went through the provider are reviewed by it, as they were).
  const providerDueAt = input.providerDueAt && patched(PATCHES.complaintThroughProvider) ? new Date(input.providerDueAt) : null;
  if (providerDueAt) {
    status.providerDueAt = input.providerDueAt;
    fire({ type: 'REGISTERED_THROUGH_PROVIDER' });
    await recordStage();
    const until = formatInstant(providerDueAt);
    setCurrentDetails(`Complaint with the provider until ${until}: it satisfies it in full or forwards it to the body above (APPK art. 91 §4)`);
    const acted = await condition(() => decision !== undefined || forwardedBy !== null, Math.max(0, providerDueAt.getTime() - Date.now()), {
      summary: `the provider may satisfy the complaint until ${until}`,
    });
    if (decision === undefined) {
      // The provider neither satisfied nor forwarded it: the service forwards it, and the provider is flagged.
      if (!acted) forwardedBy = 'service';
      // forwarded by the service the moment the provider's days ended; by the provider, when it did
      status.forwardedAt = acted ? new Date().toISOString() : input.providerDueAt!;
      status.forwardedBy = forwardedBy;
      fire({ type: 'FORWARDED' });
      if (forwardedBy === 'service') {
        count('complaintForwardedOnExpiry', { addressee: input.addressee });
        log.warn('complaint forwarded: the provider let its 3 working days pass', { complaintId: input.complaintId });
      }
      await caseStore.recordComplaintStage({ complaintId: input.complaintId, state: status.state, view: status, forwardedBy: forwardedBy! });
    }
  } else {
    fire({ type: 'REGISTERED' });
    await recordStage();
  }

  const dueAt = new Date(input.dueAt);
  const due = formatInstant(dueAt);
  const days = REVIEW_TERM_WORKING_DAYS[input.addressee];
  if (decision === undefined) {
    setCurrentDetails(
      providerDueAt
        ? `Complaint forwarded to the body above the provider; its decision is due by ${due} (${days} working days from registration, R13)`
        : `Complaint to the ${input.addressee} under review; its decision is due by ${due} (${days} working days, R13)`,
    );
  }
  const came = await awaitWithinTerm({
    done: () => decision !== undefined,
    dueAt,
    summary: `the ${input.addressee}'s decision on the complaint is due by ${due}`,
    // Overdue is a flag and an escalation to the body above the reviewer, not an end: the review is still owed.
    whenLate: async () => {
      fire({ type: 'REVIEW_DEADLINE_PASSED' });
      count('complaintOverdue', { addressee: input.addressee });
      log.warn('complaint review overdue', { complaintId: input.complaintId, applicationId: input.applicationId, dueAt: input.dueAt });
      await recordStage(true);
      setCurrentDetails(
        providerDueAt
          ? `OVERDUE: the decision of the body above the provider was due by ${due}; escalated to the body above it (R13)`
          : `OVERDUE: the ${input.addressee}'s decision was due by ${due}; escalated to the ${SUPERIOR_BODY[input.addressee]} (R13)`,
      );
    },
  });
  const inTime = came === 'in-time';

  count('complaintDecided', { addressee: input.addressee, outcome: decision!.outcome, in_time: inTime });
  await caseStore.recordComplaintDecision({
    complaintId: input.complaintId,
    state: status.state,
    outcome: decision!.outcome,
    motivation: inBothLanguages(decision!.motivation),
    official: decision!.official,
    periodRestored: status.periodRestored,
    ...(status.decidedBy && { decidedBy: status.decidedBy }),
    decidedAt: status.decidedAt!,
  });
  // R13, APPK art. 92: upheld against the result of a closed case, it takes the case back to review if nothing has
  // superseded that result and the teacher's year is still free (R10), before its decision is worded (which says so).
  const closedCase =
    input.caseClosed && reopensTheReview(status, input.contestedRound) && patched(PATCHES.reopenClosedCase)
      ? await caseStore.reopenClosedCase.executeWithOptions({ summary: "take the closed case and the teacher's year back to review (R10, R13)" }, [
          { applicationId: input.applicationId, contestedRound: input.contestedRound },
        ])
      : null;
  const notice = await documents.issueNotice.executeWithOptions(
    { summary: 'sign the decision on the complaint and deliver it to the personal cabinet (R13, R5)' },
    [
      {
        applicationId: input.applicationId,
        kind: 'complaint-decision',
        complaintId: input.complaintId,
        ...(signedDecision && { signed: signedDecision }),
      },
    ],
  );
  status.notifiedAt = notice.createdAt;
  count('noticeIssued', { kind: 'complaint-decision' });
  fire({ type: 'DECISION_DELIVERED' });
  await recordStage();
  setCurrentDetails(`Decided: ${status.outcome}; the motivated decision is in the personal cabinet`);
  if (closedCase?.reopens) await reopenTheClosedCase(status, closedCase);
  else if (closedCase) log.info('upheld complaint does not reopen the closed case', { complaintId: input.complaintId, why: closedCase.why });
  return status;
}

/**
 * R13, APPK art. 92: a new run of the closed case's workflow, under its id, enters review with a new term from the
 * case as the store recorded it (workflows/application.ts); it outlives this complaint. Already running (another
 * upheld complaint reopened it a moment before), it is left as it is.
 */
async function reopenTheClosedCase(complaint: ComplaintStatus, closed: Extract<ClosedCaseOnRecord, { reopens: true }>): Promise<void> {
  const reopening: ClosedCaseReopening = { view: closed.view, reopenedBy: complaintSummaryOf(complaint) };
  try {
    await startChild('applicationWorkflow', {
      workflowId: workflowIdFor(complaint.applicationId),
      args: [closed.input, reopening],
      // the closed run completed: its id is taken again for the case's new run
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      ...applicationRunAttributes(closed.input, 'under-review'),
      staticDetails: `Reopened by complaint ${complaint.complaintId}, upheld ${complaint.decidedAt} against the result of the closed case (R13, APPK art. 92)`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    log.warn('the closed case is running again already', { applicationId: complaint.applicationId, complaintId: complaint.complaintId });
    return;
  }
  count('closedCaseReopened');
  setCurrentDetails(`Decided: upheld; the case is under review again in a new run (R13, APPK art. 92)`);
}
