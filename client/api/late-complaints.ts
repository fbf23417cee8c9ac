/**
 * A complaint against a case whose workflow has ended because its filing period ran out (R13): lateness alone
 * is no reason to refuse it (Administrative Procedural Code art. 92 §3), so it is registered (late when filed
 * after the period: one filed on its last day and relayed after the case closed is in time, §1), with the
 * applicant's petition to restore the period if she made one, and reviewed in a complaint workflow of its own;
 * the reviewing body decides whether to restore the period (§2). Upheld against the result, the complaint's
 * workflow takes the case back to review in a new run of its own (workflows/complaint.ts), whether or not the
 * campaign window is still open: the teacher is not sent to apply again (R10, R13).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkingCalendar } from '../../domain/calendar';
import type { FiledComplaint } from '../../domain/case-status';
import { filedComplaint, filedLate, type ComplaintFiling } from '../../domain/complaint';
import { closedCaseComplaintRefusal } from '../../domain/guards';
import type { ProviderUnits } from '../../domain/provider-units';
import type { Refusal } from '../../domain/refusals';
import { readCalendarOverrides } from '../../infra/calendar-overrides';
import type { Store } from '../../infra/store';
import { complaintRow, forgetUnstartedComplaint, recordLateComplaint } from '../../infra/case-store';

export type LateComplaintOutcome = { ok: true; filed: FiledComplaint } | { ok: false; refusal: Refusal };

/** Files a complaint against the closed case `applicationId` (its workflow has finished), or answers why not. */
export async function fileAgainstClosedCase(
  deps: { client: Client; store: Store; taskQueue: string; now: () => Date; units: ProviderUnits },
  applicationId: string,
  filing: ComplaintFiling & { submittedAt: string },
): Promise<LateComplaintOutcome> {
  // R7: read before the row is locked, so the lock is held for the check and the write only.
  const calendar = new WorkingCalendar(await readCalendarOverrides(deps.store));
  // One at a time to each body (R13): checked and stored under the application's lock (infra/case-store); its
  // workflow is started after the commit, never under the lock, and then finds the row.
  const filed = await recordLateComplaint<Refusal | ReturnType<typeof filedComplaint>>(deps.store, applicationId, (kase) => {
    const refusal = closedCaseComplaintRefusal({ ...kase.facts, now: deps.now().getTime() }, filing);
    if (refusal) return { answer: refusal };
    const late = filedLate(kase.complaintPeriodEndsAt, Date.parse(filing.submittedAt));
    const complaint = filedComplaint(
      filing,
      { complaintId: randomUUID(), applicationId, providerUnit: kase.providerUnit, contestedRound: kase.round, late, caseClosed: true },
      calendar,
    );
    return { row: complaintRow(complaint.input, deps.units.reviewingBody(kase.providerUnit, complaint.input.addressee).id), answer: complaint };
  });
  if ('code' in filed) return { ok: false, refusal: filed };
  const { input } = filed;
  try {
    await deps.client.workflow.start('complaintWorkflow', { ...filed.start, taskQueue: deps.taskQueue, args: [input] });
  } catch (error) {
    // A start that failed leaves nothing behind: the filing can be sent again.
    await forgetUnstartedComplaint(deps.store, input.complaintId);
    throw error;
  }
  return {
    ok: true,
    filed: {
      complaintId: input.complaintId,
      workflowId: filed.start.workflowId,
      addressee: input.addressee,
      subject: input.subject ?? 'result',
      late: input.late ?? false,
      registeredAt: input.registeredAt,
      dueAt: input.dueAt,
    },
  };
}
