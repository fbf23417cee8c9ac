/**
 * A complaint against a case whose workflow has ended because its filing period ran out (R13): lateness alone
 * is no reason to refuse it (Administrative Procedural Code art. 92 §3), so it is registered as late, with the
 * applicant's reasons for restoring the period, and reviewed in a complaint workflow of its own; the reviewing
 * body decides whether to restore the period (§2). The case itself stays closed: an upheld complaint annuls the
 * result on record, and a refused teacher may apply again (R10).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkingCalendar } from '../../domain/calendar';
import type { FiledComplaint } from '../../domain/case-status';
import { filedComplaint, type ComplaintFiling } from '../../domain/complaint';
import { closedCaseComplaintRefusal } from '../../domain/guards';
import type { ProviderUnits } from '../../domain/provider-units';
import type { Refusal } from '../../domain/refusals';
import { readCalendarOverrides } from '../../infra/calendar-overrides';
import type { Store } from '../../infra/store';
import { complaintRow } from '../../activities/complaints';

export type LateComplaintOutcome = { ok: true; filed: FiledComplaint } | { ok: false; refusal: Refusal };

/** Files a complaint against the closed case `applicationId` (its workflow has finished), or answers why not. */
export async function fileAgainstClosedCase(
  deps: { client: Client; store: Store; taskQueue: string; now: () => Date; units: ProviderUnits },
  applicationId: string,
  filing: ComplaintFiling & { submittedAt: string },
): Promise<LateComplaintOutcome> {
  // One at a time to each body (R13): the application's row is locked while the complaint is checked, stored and
  // started, so two filings cannot both pass; a failed start leaves nothing behind. Its workflow then finds the row.
  // R7: read before the row is locked, so the lock is held for the check and the writes only.
  const calendar = new WorkingCalendar(await readCalendarOverrides(deps.store));
  const filed = await deps.store.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Application" WHERE id = ${applicationId}::uuid FOR UPDATE`;
    const row = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, include: { complaints: true } });
    const ofLastResult = row.complaints.filter((c) => c.contestedRound === row.round);
    const refusal = closedCaseComplaintRefusal(
      {
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
        now: deps.now().getTime(),
      },
      filing,
    );
    if (refusal) return refusal;
    const complaint = filedComplaint(
      filing,
      { complaintId: randomUUID(), applicationId, providerUnit: row.providerUnit, contestedRound: row.round, late: true, caseClosed: true },
      calendar,
    );
    await tx.complaint.create({ data: complaintRow(complaint.input, deps.units.reviewingBody(row.providerUnit, complaint.input.addressee).id) });
    await deps.client.workflow.start('complaintWorkflow', { ...complaint.start, taskQueue: deps.taskQueue, args: [complaint.input] });
    return complaint;
  });
  if ('code' in filed) return { ok: false, refusal: filed };
  const { input } = filed;
  return {
    ok: true,
    filed: {
      complaintId: input.complaintId,
      workflowId: filed.start.workflowId,
      addressee: input.addressee,
      subject: input.subject ?? 'result',
      late: true,
      registeredAt: input.registeredAt,
      dueAt: input.dueAt,
    },
  };
}
