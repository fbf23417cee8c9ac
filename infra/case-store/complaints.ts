/**
 * The case store's complaints (R13): a filed complaint's row, and a late complaint against a closed case taken
 * under the application's lock, so that two filings to one body cannot both pass.
 */
import { complaintWorkflowIdFor } from '../../domain/case-ids';
import type { ClosedCaseView } from '../../domain/guards';
import { subjectAndLateness, type ComplaintInput } from '../../domain/complaint';
import type { Store } from '../store';

/**
 * A filed complaint's row, as it is first stored (by its workflow, or by the API for a late one:
 * client/api/late-complaints.ts), with the body that reviews it fixed from the registry (R13).
 */
export function complaintRow(input: ComplaintInput, reviewingUnit: string) {
  return {
    id: input.complaintId,
    workflowId: complaintWorkflowIdFor(input.complaintId),
    applicationId: input.applicationId,
    addressee: input.addressee,
    reviewingUnit,
    text: input.text,
    grounds: input.grounds,
    attachments: input.attachments,
    contestedRound: input.contestedRound,
    ...subjectAndLateness(input),
    againstClosedCase: input.caseClosed ?? false,
    state: 'received',
    submittedAt: new Date(input.submittedAt),
    registeredAt: new Date(input.registeredAt),
    dueAt: new Date(input.dueAt),
  };
}

/** What a closed case holds for a late complaint's check: its state, round and complaints, read under its lock. */
export interface ClosedCaseRecord {
  providerUnit: string;
  round: number;
  facts: Omit<ClosedCaseView, 'now'>;
}

/**
 * Stores a late complaint against the closed case `applicationId` if `decide` admits it (R13, one at a time to each
 * body): the application's row is locked while the case's complaints are read, checked and the new one written,
 * and nothing else runs under the lock (the complaint's workflow is started after the commit). Answers what
 * `decide` answered.
 */
export async function recordLateComplaint<R>(
  store: Store,
  applicationId: string,
  decide: (kase: ClosedCaseRecord) => { row: ReturnType<typeof complaintRow>; answer: R } | { answer: R },
): Promise<R> {
  return store.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Application" WHERE id = ${applicationId}::uuid FOR UPDATE`;
    const row = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, include: { complaints: true } });
    const ofLastResult = row.complaints.filter((c) => c.contestedRound === row.round);
    const decided = decide({
      providerUnit: row.providerUnit,
      round: row.round,
      facts: {
        state: row.state,
        decisionWasLate: row.overdue,
        // Closed before its period ran out, the stage ended by the last instance's decision (complaint-stage.ts);
        // after it, the authority may still have decided on the result in force.
        lastInstanceDecided:
          (row.preTrialCompletedAt !== null && row.complaintPeriodEndsAt !== null && row.preTrialCompletedAt < row.complaintPeriodEndsAt) ||
          ofLastResult.some((c) => c.addressee === 'quality-authority' && c.outcome !== null),
        openComplaints: row.complaints
          .filter((c) => c.outcome === null && c.state !== 'decided')
          .map((c) => ({ complaintId: c.id, addressee: c.addressee, dueAt: c.dueAt.toISOString() })),
      },
    });
    if ('row' in decided) await tx.complaint.create({ data: decided.row });
    return decided.answer;
  });
}

/** Removes a late complaint's row whose workflow could not be started: the filing leaves nothing behind. */
export async function forgetUnstartedComplaint(store: Store, complaintId: string): Promise<void> {
  await store.complaint.deleteMany({ where: { id: complaintId, state: 'received' } });
}
