/**
 * The case store's complaints (R13): a filed complaint's row, its stages reported to monitoring (with the
 * escalation to the superior body when its review is late), the reviewing body's decision, and a late complaint
 * against a closed case taken under the application's lock, so that two filings to one body cannot both pass.
 */
import type { Bilingual } from '../../domain/fields';
import { complaintWorkflowIdFor } from '../../domain/case-ids';
import type { ClosedCaseView } from '../../domain/guards';
import {
  endsThePreTrialStage,
  subjectAndLateness,
  type ComplaintDecider,
  type ComplaintInput,
  type ComplaintOutcome,
  type Forwarder,
} from '../../domain/complaint';
import type { ComplaintStatus } from '../../domain/case-status';
import type { ProviderUnits } from '../../domain/provider-units';
import { logStage } from './applications';
import { enqueue, type OutboxEntry } from '../outbox';
import { outboxKeys } from '../outbox-keys';
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
    providerDueAt: input.providerDueAt ? new Date(input.providerDueAt) : null,
  };
}

/** What a closed case holds for a late complaint's check: its state, round and complaints, read under its lock. */
export interface ClosedCaseRecord {
  providerUnit: string;
  round: number;
  /** the end of the period for a complaint against the last result (APPK art. 92 §1) */
  complaintPeriodEndsAt: string | null;
  facts: Omit<ClosedCaseView, 'now'>;
}

/**
 * Stores a late complaint against the closed case `applicationId` if `decide` admits it (R13): the application's
 * row is locked while the case's complaints are read, checked and the new one written, so that no decision of the
 * last instance slips between the check and the write, and nothing else runs under the lock (the complaint's
 * workflow is started after the commit). Answers what `decide` answered.
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
      complaintPeriodEndsAt: row.complaintPeriodEndsAt?.toISOString() ?? null,
      facts: {
        state: row.state,
        decisionWasLate: row.overdue,
        anonymised: row.anonymisedAt !== null,
        // Closed before its period ran out, the stage ended by the last instance's decision (complaint-stage.ts);
        // after it, the authority may still have decided on the result in force. Only a decision on the result
        // itself is the last word: one on lateness or inaction leaves the result contestable (APPK art. 91).
        lastInstanceDecided:
          (row.preTrialCompletedAt !== null && row.complaintPeriodEndsAt !== null && row.preTrialCompletedAt < row.complaintPeriodEndsAt) ||
          ofLastResult.some((c) => endsThePreTrialStage(c)),
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

export interface ComplaintStageRecord {
  complaintId: string;
  state: string;
  /** the complaint as its workflow holds it now: the view the store keeps for when its history is gone */
  view: ComplaintStatus;
  overdue?: boolean;
  /** sent on to the body above the provider (APPK art. 91 §4): by the provider, or by the service when its days ended */
  forwardedBy?: Forwarder;
}

export interface ComplaintDecisionRecord {
  complaintId: string;
  state: string;
  outcome: ComplaintOutcome;
  /** in each document's language */
  motivation: Bilingual;
  official: string;
  /** APPK art. 92 §2: a late complaint's decision on restoring the period (null: filed in time) */
  periodRestored?: boolean | null;
  /** the provider satisfying it in full, or the reviewing body (absent: from before the road went through the provider) */
  decidedBy?: ComplaintDecider | null;
  decidedAt: string;
}

/** The complaint records of the case store, over the store given. */
export function complaintRecords({ store, units }: { store: Store; units: ProviderUnits }) {
  return {
    /** Stores a filed complaint; a retry finds the row it wrote before. */
    async recordComplaint(input: ComplaintInput): Promise<void> {
      const { providerUnit } = await store.application.findUniqueOrThrow({ where: { id: input.applicationId }, select: { providerUnit: true } });
      const reviewingUnit = units.reviewingBody(providerUnit, input.addressee).id;
      await store.complaint.upsert({ where: { id: input.complaintId }, update: {}, create: complaintRow(input, reviewingUnit) });
    },

    /**
     * Records a complaint's stage and, in the same transaction, its report to monitoring (R12); a late review
     * also gets an escalation to the body above the reviewer (R13); a forwarded complaint, its notice to the body
     * that now decides it, with the case file (APPK art. 91 §4), saying when the provider let its days pass.
     */
    async recordComplaintStage(stage: ComplaintStageRecord): Promise<void> {
      // R13: the body above the reviewer
      const superiorBody = (complaint: { reviewingUnit: string | null; addressee: string; application: { providerUnit: string } }) => {
        const reviewer = units.reviewerOf(complaint, complaint.application.providerUnit).id;
        const above = units.superiorOf(reviewer);
        return { reviewingUnit: reviewer, unit: above.id, unitName: above.names.ru };
      };
      const at = new Date().toISOString();
      await store.$transaction(async (tx) => {
        const complaint = await tx.complaint.update({
          where: { id: stage.complaintId },
          data: {
            state: stage.state,
            view: JSON.stringify(stage.view),
            ...(stage.overdue !== undefined && { overdue: stage.overdue }),
            ...(stage.forwardedBy && { forwardedBy: stage.forwardedBy, forwardedAt: new Date(stage.view.forwardedAt ?? at) }),
          },
          include: { application: { select: { providerUnit: true } } },
        });
        const stageName = stage.overdue ? 'review-overdue' : stage.forwardedBy ? 'forwarded' : stage.state;
        const report = {
          complaintId: complaint.id,
          applicationId: complaint.applicationId,
          addressee: complaint.addressee,
          stage: stageName,
          providerUnit: complaint.application.providerUnit,
          at,
          dueAt: complaint.dueAt.toISOString(),
        };
        const key = outboxKeys.complaintStage(complaint.id, stageName);
        await logStage(tx, key, report);
        const messages: OutboxEntry[] = [
          { key, channel: 'monitoring', payload: { ...report, ...(stage.forwardedBy && { forwardedBy: stage.forwardedBy }) } },
        ];
        if (stage.forwardedBy) {
          const reviewer = units.reviewerOf(complaint, complaint.application.providerUnit);
          messages.push({
            key: outboxKeys.complaintForwarding(complaint.id),
            channel: 'notifier',
            payload: {
              to: 'reviewing-body',
              unit: reviewer.id,
              unitName: reviewer.names.ru,
              forwardedBy: stage.forwardedBy,
              // the provider let its 3 working days pass without satisfying or forwarding it
              providerFlagged: stage.forwardedBy === 'service',
              ...report,
            },
          });
        }
        if (stage.overdue) {
          messages.push({
            key: outboxKeys.complaintEscalation(complaint.id),
            channel: 'notifier',
            payload: { to: 'superior-body', ...superiorBody(complaint), ...report },
          });
        }
        await enqueue(tx, messages);
      });
    },

    async recordComplaintDecision(d: ComplaintDecisionRecord): Promise<void> {
      await store.complaint.update({
        where: { id: d.complaintId },
        data: {
          state: d.state,
          outcome: d.outcome,
          motivation: d.motivation.ru,
          motivationKk: d.motivation.kk,
          official: d.official,
          periodRestored: d.periodRestored ?? null,
          decidedBy: d.decidedBy ?? null,
          decidedAt: new Date(d.decidedAt),
        },
      });
    },
  };
}
