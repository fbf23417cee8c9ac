/**
 * The case store's applications: the application's row and each stage it reaches, with the stage's report to
 * monitoring (R12) and any escalation written in the same transaction, for the outbox relay to deliver. Each
 * write is idempotent — keyed by the application id and the outbox's exactly-once keys — so a retry after a crash
 * never writes a second row or a second report.
 */
import { holdsTheYear } from '../../domain/academic-year';
import { isFinalState } from '../../domain/lifecycle';
import type { ApplicationInput } from '../../domain/application';
import type { ApplicationStatus, ClosedCaseOnRecord } from '../../domain/case-status';
import { workflowIdFor } from '../../domain/case-ids';
import type { CustodyStep } from '../../domain/custody';
import type { ProviderUnits } from '../../domain/provider-units';
import { STANDARD_OF_UNPINNED_CASES } from '../../domain/standards';
import { enqueue, type OutboxEntry } from '../outbox';
import { outboxKeys } from '../outbox-keys';
import type { Prisma, Store } from '../store';

/**
 * R10: the application that holds a teacher's academic year, if any (one at most: a unique index), other than
 * `except`. The one query of the rule, for the door, the store's guard and a complaint's decision.
 */
export async function yearHolderOf(
  store: Pick<Store, 'application'>,
  { iin, academicYear }: { iin: string; academicYear: string },
  except?: string,
): Promise<string | null> {
  const holder = await store.application.findFirst({
    where: { iin, academicYear, holdsYear: true, ...(except && { NOT: { id: except } }) },
    select: { id: true },
  });
  return holder?.id ?? null;
}

export interface StageRecord {
  applicationId: string;
  state: string;
  /** the case as the workflow holds it now: the view the store keeps for when its history is gone */
  view: ApplicationStatus;
  registeredAt?: string;
  decisionDueAt?: string;
  overdue?: boolean;
  /** R13: the result round (an upheld complaint starts the next) */
  round?: number;
  complaintPeriodEndsAt?: string;
  /** when the pre-trial stage ended; null: it begins again (a closed case reopened, R13) */
  preTrialCompletedAt?: string | null;
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
  /** the case as the workflow holds it now (StageRecord.view) */
  view: ApplicationStatus;
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

/**
 * R12: what monitoring is told of every stage a case reaches: which case, which stage, where (the unit's id in the
 * registry: a bounded label), and when.
 */
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

/**
 * Appends a stage to the case's log (issue 29), keyed as its report to monitoring (R12): a retry adds nothing.
 * The story support reads, and the stage reports, come from this log.
 */
export async function logStage(
  tx: Prisma.TransactionClient,
  key: string,
  report: { applicationId: string; complaintId?: string; stage: string; at: string },
): Promise<void> {
  await tx.stageLog.createMany({
    data: [
      {
        key,
        applicationId: report.applicationId,
        complaintId: report.complaintId ?? null,
        stage: report.stage,
        at: new Date(report.at),
        report: report as unknown as Prisma.InputJsonObject,
      },
    ],
    skipDuplicates: true,
  });
}

/**
 * The application as admitted, from its row: as stored since the column `input` was added; for a case recorded
 * before it, rebuilt from the columns, without the essay and the documents' list the store did not keep then, and
 * with the consent it was admitted on (a reopened review reads none of them again: the provider has the file).
 */
function applicationOnRecord(row: Prisma.ApplicationGetPayload<object>): ApplicationInput {
  if (row.input !== null) return JSON.parse(row.input) as ApplicationInput;
  return {
    applicationId: row.id,
    iin: row.iin,
    fullName: row.fullName,
    category: row.category as ApplicationInput['category'],
    channel: row.channel as ApplicationInput['channel'],
    providerUnit: row.providerUnit,
    purpose: (row.purpose ?? 'assign') as ApplicationInput['purpose'],
    academicYear: row.academicYear,
    submittedAt: row.submittedAt.toISOString(),
    personalDataConsent: true,
    essay: '',
    documents: [],
    standard: row.standard as ApplicationInput['standard'],
    ...(row.cabinetId !== null && { cabinetId: row.cabinetId }),
    ...(row.submittedBy !== null && { submittedBy: row.submittedBy }),
    ...(row.serviceLocality !== null && { serviceLocality: row.serviceLocality as ApplicationInput['serviceLocality'] }),
    ...(row.homeVisit && { homeVisit: true }),
  };
}

/**
 * Issue 36: the application of a case the store holds open, as admitted — what a case is started again from when
 * Temporal has no run of it (restored from a backup older than the case store's); null when absent or ended.
 */
export async function openApplicationOnRecord(store: Pick<Store, 'application'>, applicationId: string): Promise<ApplicationInput | null> {
  const row = await store.application.findUnique({ where: { id: applicationId } });
  return row && !isFinalState(row.state) && row.anonymisedAt === null ? applicationOnRecord(row) : null;
}

/** The application records of the case store, over the store given. */
export function applicationRecords({ store, units }: { store: Store; units: ProviderUnits }) {
  /** R3, R14: a late decision or a late result goes to the unit above the provider (R1's tree). */
  const supervisingUnit = (providerUnit: string) => {
    const above = units.supervisorOf(providerUnit);
    return { to: 'supervising-unit', unit: above.id, unitName: above.names.ru };
  };
  const yearHolder = (application: { iin: string; academicYear: string }) => yearHolderOf(store, application);
  async function reclaimAcademicYear({ applicationId }: { applicationId: string }): Promise<{ heldBy: string | null }> {
    try {
      await store.application.update({ where: { id: applicationId }, data: { holdsYear: true } });
      return { heldBy: null };
    } catch (error) {
      if ((error as { code?: string }).code !== 'P2002') throw error;
      const application = await store.application.findUniqueOrThrow({ where: { id: applicationId }, select: { iin: true, academicYear: true } });
      const heldBy = await yearHolder(application);
      // The holder let the year go between the two reads: the next attempt takes it.
      if (heldBy === null)
        throw new Error(`the academic year of application ${applicationId} was freed meanwhile; taking it again`, { cause: error });
      return { heldBy };
    }
  }
  return {
    /**
     * Stores a received application, holding its teacher's academic year (R10); a retry finds the row it wrote
     * before. Another application holding the year (the API refuses a second one; this is the store's guard)
     * answers it (or null, if it let go of the year meanwhile): no retry could make this row insertable.
     */
    async recordApplication(
      input: ApplicationInput,
      view: ApplicationStatus,
    ): Promise<{ recorded: true } | { recorded: false; heldBy: string | null }> {
      try {
        // A create, not an upsert with nothing to update (a read and a write to Prisma, 2.4 times the CPU: issue 19).
        await store.application.create({
          data: {
            id: input.applicationId,
            workflowId: workflowIdFor(input.applicationId),
            iin: input.iin,
            fullName: input.fullName,
            category: input.category,
            purpose: input.purpose ?? null,
            channel: input.channel,
            providerUnit: input.providerUnit,
            submittedBy: input.submittedBy ?? null,
            academicYear: input.academicYear,
            holdsYear: true,
            cabinetId: input.cabinetId ?? null,
            standard: input.standard ?? STANDARD_OF_UNPINNED_CASES,
            serviceLocality: input.serviceLocality ?? null,
            homeVisit: input.homeVisit ?? false,
            state: 'received',
            submittedAt: new Date(input.submittedAt),
            view: JSON.stringify(view),
            input: JSON.stringify(input),
          },
        });
        return { recorded: true };
      } catch (error) {
        if ((error as { code?: string }).code !== 'P2002') throw error;
        // An earlier attempt of this activity wrote the row (the conflict is on its id), or another holds the year.
        if (await store.application.findUnique({ where: { id: input.applicationId }, select: { id: true } })) return { recorded: true };
        return { recorded: false, heldBy: await yearHolder(input) };
      }
    },

    /**
     * R10, R13: an upheld complaint reopens a refused application only if the year is still free: a newer
     * application of the teacher that holds it (under consideration or accepted) is the one decided. Answers
     * the holder when it is another application.
     */
    reclaimAcademicYear,

    /**
     * R13, APPK art. 92: a complaint upheld against the result of the closed case `applicationId` takes it back to
     * review, if the case is still closed with that result in force and its year is still free (R10, taken back
     * here). Answers the application as admitted and the case as last recorded, for the new run.
     */
    async reopenClosedCase({ applicationId, contestedRound }: { applicationId: string; contestedRound: number }): Promise<ClosedCaseOnRecord> {
      const row = await store.application.findUniqueOrThrow({ where: { id: applicationId } });
      if (row.state !== 'closed' || row.view === null) return { reopens: false, why: 'not-closed' };
      if (row.round !== contestedRound) return { reopens: false, why: 'result-superseded' };
      const { heldBy } = await reclaimAcademicYear({ applicationId });
      if (heldBy !== null) return { reopens: false, why: 'year-held', heldBy };
      return { reopens: true, input: applicationOnRecord(row), view: JSON.parse(row.view) as ApplicationStatus };
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
            view: JSON.stringify(stage.view),
            // R8: the register's name, which the documents the store signs later print (issueNotice)
            ...(stage.view.identity?.registerName && { registerName: stage.view.identity.registerName }),
            // Issue 36: the retention's periods run from the close; a reopened case is open again.
            closedAt: isFinalState(stage.state) ? at : null,
            // R10 (holdsTheYear): a withdrawal frees the teacher's year for a new application.
            ...(!holdsTheYear({ state: stage.state, decision: null }) && { holdsYear: null }),
            ...(stage.registeredAt && { registeredAt: new Date(stage.registeredAt) }),
            ...(stage.decisionDueAt && { decisionDueAt: new Date(stage.decisionDueAt) }),
            ...(stage.overdue !== undefined && { overdue: stage.overdue }),
            ...(stage.round !== undefined && { round: stage.round }),
            ...(stage.complaintPeriodEndsAt && { complaintPeriodEndsAt: new Date(stage.complaintPeriodEndsAt) }),
            ...(stage.preTrialCompletedAt !== undefined && {
              preTrialCompletedAt: stage.preTrialCompletedAt === null ? null : new Date(stage.preTrialCompletedAt),
            }),
          },
        });
        const stageName = stage.overdue ? 'decision-overdue' : stage.state;
        const report = { ...stageReport(application, stageName, at), decisionDueAt: application.decisionDueAt?.toISOString() ?? null };
        const key = outboxKeys.stage(stage.applicationId, stageName, stage.occurrence);
        await logStage(tx, key, report);
        const messages: OutboxEntry[] = [{ key, channel: 'monitoring', payload: report }];
        if (stage.overdue) {
          messages.push({
            key: outboxKeys.escalation(stage.applicationId, stage.occurrence),
            channel: 'notifier',
            payload: { ...supervisingUnit(application.providerUnit), ...report },
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
          data: { state: step.state, view: JSON.stringify(step.view), ...columns[step.event] },
        });
        const report = { ...stageReport(application, step.event, at), ...(step.dueAt && { dueAt: step.dueAt }) };
        const key = outboxKeys.stage(step.applicationId, step.event, step.occurrence);
        await logStage(tx, key, report);
        const messages: OutboxEntry[] = [{ key, channel: 'monitoring', payload: report }];
        const to = CUSTODY_RECIPIENTS[step.event];
        if (to) {
          const addressed =
            to === 'applicant'
              ? { to, cabinetId: application.cabinetId }
              : to === 'supervising-unit'
                ? supervisingUnit(application.providerUnit)
                : { to, unit: application.providerUnit };
          messages.push({ key: outboxKeys.custody(step.applicationId, step.occurrence), channel: 'notifier', payload: { ...addressed, ...report } });
        }
        await enqueue(tx, messages);
      });
    },
  };
}
