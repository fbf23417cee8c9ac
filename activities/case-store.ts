/**
 * The case store's activities: the application's row and each stage it reaches, with the stage's report to
 * monitoring (R12) and any escalation written in the same transaction, for the outbox relay to deliver. Each is
 * idempotent — keyed by the application id and the outbox's exactly-once keys — so a retry after a crash never
 * writes a second row or a second report.
 */
import { ApplicationFailure, log } from '@temporalio/activity';
import type { ApplicationInput } from '../domain/application';
import type { CalendarOverride } from '../domain/calendar';
import { workflowIdFor } from '../domain/case-ids';
import type { CustodyStep } from '../domain/custody';
import { STANDARD_OF_UNPINNED_CASES } from '../domain/standards';
import { readCalendarOverrides } from '../infra/calendar-overrides';
import { enqueue, type OutboxEntry } from '../infra/outbox';
import { outboxKeys } from '../infra/outbox-keys';
import type { Store } from '../infra/store';

export interface StageRecord {
  applicationId: string;
  state: string;
  registeredAt?: string;
  decisionDueAt?: string;
  overdue?: boolean;
  /** R13: the result round (an upheld complaint starts the next) */
  round?: number;
  complaintPeriodEndsAt?: string;
  preTrialCompletedAt?: string;
  /**
   * Tells apart reports of a stage the case passes more than once (a new round, a further complaint), so the
   * outbox's exactly-once key does not swallow them; absent the first time.
   */
  occurrence?: string;
}

/** A step of a result's way through the State Corporation (R5, R14). */
export interface CustodyRecord {
  applicationId: string;
  state: string;
  event: CustodyStep;
  /** tells apart the reports of steps a case passes more than once (StageRecord.occurrence) */
  occurrence: string;
  /** the storage period's end, or the provider's term to send the result back */
  dueAt?: string;
  issuedTo?: string;
  /** the first arrival of a round's result: the last round's way is cleared from the row */
  newResult?: boolean;
}

/** Who hears of each step besides monitoring (R12): the provider, the applicant, the supervising unit. */
const CUSTODY_RECIPIENTS: Record<CustodyStep, 'provider' | 'applicant' | 'supervising-unit' | null> = {
  'package-handed-over': 'provider', // the package to review
  'result-at-state-corporation': 'applicant', // ready for collection
  'result-issued': null,
  'returned-to-provider': 'provider',
  'result-requested': 'provider', // to send within a working day
  'resend-overdue': 'supervising-unit', // an escalation, as for a late decision
};

/** R12: what monitoring is told of every stage a case reaches: which case, which stage, where, and when. */
function stageReport(application: { id: string; providerUnit: string; category: string; channel: string }, stage: string, at: Date) {
  return {
    applicationId: application.id,
    stage,
    providerUnit: application.providerUnit,
    category: application.category,
    channel: application.channel,
    at: at.toISOString(),
  };
}

export interface DecisionRecord {
  applicationId: string;
  state: string;
  decision: 'accept' | 'refuse';
  grounds: number[];
  motivation: string | null;
  official: string;
  decidedAt: string;
}

/** The case store's activities, over the store given. */
export function createCaseStoreActivities({ store }: { store: Store }) {
  return {
    /** Stores a received application; a retry finds the row it wrote before. */
    async recordApplication(input: ApplicationInput): Promise<void> {
      const duplicate = async () => {
        const existing = await store.application.findUnique({
          where: { iin_academicYear: { iin: input.iin, academicYear: input.academicYear } },
          select: { id: true },
        });
        if (!existing || existing.id === input.applicationId) return;
        // R10's second guard (the workflow id is the first); no retry could make this row insertable.
        throw ApplicationFailure.nonRetryable(
          `the teacher already has application ${existing.id} for ${input.academicYear}; attestation happens once per academic year (R10)`,
          'DuplicateApplication',
        );
      };
      await duplicate();
      try {
        await store.application.upsert({
          where: { id: input.applicationId },
          update: {},
          create: {
            id: input.applicationId,
            workflowId: workflowIdFor(input.applicationId),
            iin: input.iin,
            fullName: input.fullName,
            category: input.category,
            channel: input.channel,
            providerUnit: input.providerUnit,
            academicYear: input.academicYear,
            cabinetId: input.cabinetId ?? null,
            standard: input.standard ?? STANDARD_OF_UNPINNED_CASES,
            serviceLocality: input.serviceLocality ?? null,
            homeVisit: input.homeVisit ?? false,
            state: 'received',
            submittedAt: new Date(input.submittedAt),
          },
        });
      } catch (error) {
        // Two applications raced for the same teacher and year: the one that lost learns it here.
        if ((error as { code?: string }).code === 'P2002') await duplicate();
        throw error;
      }
    },

    /** Operator-maintained calendar entries, read here so workflow code never reads mutable data. */
    async loadCalendarOverrides(): Promise<CalendarOverride[]> {
      return readCalendarOverrides(store);
    },

    /** A year whose calendar is not confirmed was used for a legal deadline: say so loudly. */
    async reportCalendarGap({ applicationId, years }: { applicationId: string; years: number[] }): Promise<void> {
      log.error('calendar data for these years is not confirmed; deadlines use the statutory rule only', {
        alert: 'CALENDAR_YEAR_UNCONFIRMED',
        applicationId,
        years,
        remedy: "add the year's ordered transfers with `npm run cli -- calendar add-override` and update domain/calendar-data.ts",
      });
    },

    /**
     * Records a stage of the case and, in the same transaction, its report to the monitoring system (R12); an
     * overdue decision also gets an escalation to the supervising unit (R3). The outbox relay delivers both.
     */
    async recordStage(stage: StageRecord): Promise<void> {
      const at = new Date();
      await store.$transaction(async (tx) => {
        const application = await tx.application.update({
          where: { id: stage.applicationId },
          data: {
            state: stage.state,
            ...(stage.registeredAt && { registeredAt: new Date(stage.registeredAt) }),
            ...(stage.decisionDueAt && { decisionDueAt: new Date(stage.decisionDueAt) }),
            ...(stage.overdue !== undefined && { overdue: stage.overdue }),
            ...(stage.round !== undefined && { round: stage.round }),
            ...(stage.complaintPeriodEndsAt && { complaintPeriodEndsAt: new Date(stage.complaintPeriodEndsAt) }),
            ...(stage.preTrialCompletedAt && { preTrialCompletedAt: new Date(stage.preTrialCompletedAt) }),
          },
        });
        const stageName = stage.overdue ? 'decision-overdue' : stage.state;
        const report = { ...stageReport(application, stageName, at), decisionDueAt: application.decisionDueAt?.toISOString() ?? null };
        const messages: OutboxEntry[] = [
          { key: outboxKeys.stage(stage.applicationId, stageName, stage.occurrence), channel: 'monitoring', payload: report },
        ];
        if (stage.overdue) {
          messages.push({
            key: outboxKeys.escalation(stage.applicationId, stage.occurrence),
            channel: 'notifier',
            payload: { to: 'supervising-unit', ...report },
          });
        }
        await enqueue(tx, messages);
      });
    },

    /** R5, R14: a step of the result's way through the State Corporation, with its reports, in one transaction. */
    async recordCustody(step: CustodyRecord): Promise<void> {
      const at = new Date();
      const columns: Partial<Record<CustodyStep, object>> = {
        'result-at-state-corporation': {
          resultAtStateCorporationAt: at,
          storageEndsAt: new Date(step.dueAt!),
          ...(step.newResult && {
            resultIssuedAt: null,
            resultIssuedTo: null,
            returnedToProviderAt: null,
            resultRequestedAt: null,
            resendDueAt: null,
          }),
        },
        'result-issued': { resultIssuedAt: at, resultIssuedTo: step.issuedTo },
        'returned-to-provider': { returnedToProviderAt: at },
        'result-requested': { resultRequestedAt: at, resendDueAt: new Date(step.dueAt!) },
        'resend-overdue': { overdue: true },
      };
      await store.$transaction(async (tx) => {
        const application = await tx.application.update({
          where: { id: step.applicationId },
          data: { state: step.state, ...columns[step.event] },
        });
        const report = { ...stageReport(application, step.event, at), ...(step.dueAt && { dueAt: step.dueAt }) };
        const messages: OutboxEntry[] = [
          { key: outboxKeys.stage(step.applicationId, step.event, step.occurrence), channel: 'monitoring', payload: report },
        ];
        const to = CUSTODY_RECIPIENTS[step.event];
        if (to) {
          const addressed = to === 'applicant' ? { to, cabinetId: application.cabinetId } : { to };
          messages.push({ key: outboxKeys.custody(step.applicationId, step.occurrence), channel: 'notifier', payload: { ...addressed, ...report } });
        }
        await enqueue(tx, messages);
      });
    },

    async recordDecision(d: DecisionRecord): Promise<void> {
      await store.application.update({
        where: { id: d.applicationId },
        data: {
          state: d.state,
          decision: d.decision,
          refusalGrounds: d.grounds,
          motivation: d.motivation,
          official: d.official,
          decidedAt: new Date(d.decidedAt),
        },
      });
    },
  };
}

export type CaseStoreActivities = ReturnType<typeof createCaseStoreActivities>;
