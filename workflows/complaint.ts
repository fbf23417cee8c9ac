/**
 * One complaint against an application's result (R13), as a child of the application's workflow with a clock
 * of its own: registered at the next working moment (R7), reviewed within 5 working days by the provider or 15
 * by the quality-control authority, escalated to the superior body when late (the review is still owed), and
 * answered with a motivated, signed decision in the applicant's cabinet.
 */
import { log, setCurrentDetails, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { formatInstant } from '../domain/calendar';
import { complaintDecisionRefusal } from '../domain/guards';
import {
  REVIEW_TERM_WORKING_DAYS,
  SUPERIOR_BODY,
  advanceComplaint,
  startComplaint,
  subjectAndLateness,
  type ComplaintDecision,
  type ComplaintEvent,
  type ComplaintInput,
  type ComplaintState,
} from '../domain/complaint';
import { ComplaintStateKey, OverdueKey } from '../domain/search-attributes';
import { complaintStatusQuery, decideComplaintUpdate, type ComplaintStatus } from './messages';
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
    (d) => {
      decision = d;
      fire({ type: 'REVIEWED', outcome: d.outcome });
      status.outcome = d.outcome;
      status.motivation = d.motivation;
      status.official = d.official;
      status.periodRestored = d.periodRestored ?? null;
      status.decidedAt = new Date().toISOString();
      return status;
    },
    { validator: (d) => refuseWith(complaintDecisionRefusal({ status, lifecycle }, d)) },
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
  fire({ type: 'REGISTERED' });
  await recordStage();

  const dueAt = new Date(input.dueAt);
  const due = formatInstant(dueAt);
  const days = REVIEW_TERM_WORKING_DAYS[input.addressee];
  setCurrentDetails(`Complaint to the ${input.addressee} under review; its decision is due by ${due} (${days} working days, R13)`);
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
      setCurrentDetails(`OVERDUE: the ${input.addressee}'s decision was due by ${due}; escalated to the ${SUPERIOR_BODY[input.addressee]} (R13)`);
    },
  });
  const inTime = came === 'in-time';

  count('complaintDecided', { addressee: input.addressee, outcome: decision!.outcome, in_time: inTime });
  await caseStore.recordComplaintDecision({
    complaintId: input.complaintId,
    state: status.state,
    outcome: decision!.outcome,
    motivation: decision!.motivation,
    official: decision!.official,
    periodRestored: status.periodRestored,
    decidedAt: status.decidedAt!,
  });
  const notice = await documents.issueNotice.executeWithOptions(
    { summary: 'sign the decision on the complaint and deliver it to the personal cabinet (R13, R5)' },
    [{ applicationId: input.applicationId, kind: 'complaint-decision', complaintId: input.complaintId }],
  );
  status.notifiedAt = notice.createdAt;
  count('noticeIssued', { kind: 'complaint-decision' });
  fire({ type: 'DECISION_DELIVERED' });
  await recordStage();
  setCurrentDetails(`Decided: ${status.outcome}; the motivated decision is in the personal cabinet`);
  return status;
}
