/**
 * A complaint's I/O (R13): its row, its stages reported to monitoring (with the escalation to the superior body
 * when its review is late), and the reviewing body's decision. Idempotent like every activity here.
 */
import type { ComplaintInput, ComplaintOutcome } from '../domain/complaint';
import { complaintRow } from '../infra/case-store';
import type { ProviderUnits } from '../domain/provider-units';
import { enqueue, type OutboxEntry } from '../infra/outbox';
import { outboxKeys } from '../infra/outbox-keys';
import type { Store } from '../infra/store';

export interface ComplaintStageRecord {
  complaintId: string;
  state: string;
  overdue?: boolean;
}

export interface ComplaintDecisionRecord {
  complaintId: string;
  state: string;
  outcome: ComplaintOutcome;
  motivation: string;
  official: string;
  /** APPK art. 92 §2: a late complaint's decision on restoring the period (null: filed in time) */
  periodRestored?: boolean | null;
  decidedAt: string;
}

export function createComplaintActivities({ store, units }: { store: Store; units: ProviderUnits }) {
  return {
    /** Stores a filed complaint; a retry finds the row it wrote before. */
    async recordComplaint(input: ComplaintInput): Promise<void> {
      const { providerUnit } = await store.application.findUniqueOrThrow({ where: { id: input.applicationId }, select: { providerUnit: true } });
      const reviewingUnit = units.reviewingBody(providerUnit, input.addressee).id;
      await store.complaint.upsert({ where: { id: input.complaintId }, update: {}, create: complaintRow(input, reviewingUnit) });
    },

    /**
     * Records a complaint's stage and, in the same transaction, its report to monitoring (R12); a late review
     * also gets an escalation to the body above the reviewer (R13).
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
          data: { state: stage.state, ...(stage.overdue !== undefined && { overdue: stage.overdue }) },
          include: { application: { select: { providerUnit: true } } },
        });
        const stageName = stage.overdue ? 'review-overdue' : stage.state;
        const report = {
          complaintId: complaint.id,
          applicationId: complaint.applicationId,
          addressee: complaint.addressee,
          stage: stageName,
          providerUnit: complaint.application.providerUnit,
          at,
          dueAt: complaint.dueAt.toISOString(),
        };
        const messages: OutboxEntry[] = [{ key: outboxKeys.complaintStage(complaint.id, stageName), channel: 'monitoring', payload: report }];
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
          motivation: d.motivation,
          official: d.official,
          periodRestored: d.periodRestored ?? null,
          decidedAt: new Date(d.decidedAt),
        },
      });
    },
  };
}

export type ComplaintActivities = ReturnType<typeof createComplaintActivities>;
