/**
 * The application's I/O, as activities. Each is idempotent — keyed by the application id and a unique
 * notice key — so a retry after a crash never writes a second row or a second notice.
 */
import { ApplicationFailure, log } from '@temporalio/activity';
import { workflowIdFor } from '../client/identity';
import type { ApplicationInput } from '../domain/application';
import type { CalendarOverride } from '../domain/calendar';
import { formatInstant } from '../domain/calendar';
import { readCalendarOverrides } from './calendar-overrides';
import { LANGUAGES, renderNotice, type NoticeKind } from './notices';
import type { DocumentSigner } from './signer';
import { DatabaseGateway, type StateRecordsGateway } from './gateway';
import type { Store } from './store';
import type { StateRecords } from '../domain/admissibility';

export interface ActivityDeps {
  store: Store;
  /** R5: signs result documents with the EDS of the provider's authorised person */
  signer: DocumentSigner;
  /** R8: the state information systems; the database stand-in when not given */
  gateway?: StateRecordsGateway;
}

export interface StageRecord {
  applicationId: string;
  state: string;
  registeredAt?: string;
  decisionDueAt?: string;
  overdue?: boolean;
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

export interface IssuedNotice {
  noticeIds: string[];
  kind: NoticeKind;
  createdAt: string;
}

/** The activities with their stores injected, so tests can run them against any database. */
export function createActivities({ store, signer, gateway = new DatabaseGateway(store) }: ActivityDeps) {
  return {
    /** R8: what the state information systems hold of the applicant, through the e-government gateway. */
    async lookUpStateRecords({ iin }: { iin: string }): Promise<StateRecords> {
      return gateway.lookUp(iin);
    },

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
        remedy: 'add the year\'s ordered transfers with `npm run cli -- calendar add-override` and update domain/calendar-data.ts',
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
          },
        });
        const stageName = stage.overdue ? 'decision-overdue' : stage.state;
        const report = {
          applicationId: stage.applicationId,
          stage: stageName,
          providerUnit: application.providerUnit,
          category: application.category,
          channel: application.channel,
          at: at.toISOString(),
          decisionDueAt: application.decisionDueAt?.toISOString() ?? null,
        };
        const messages: Array<{ key: string; channel: string; payload: Record<string, string | null> }> = [
          { key: `stage:${stage.applicationId}:${stageName}`, channel: 'monitoring', payload: report },
        ];
        if (stage.overdue) {
          messages.push({
            key: `escalation:${stage.applicationId}`,
            channel: 'notifier',
            payload: { to: 'supervising-unit', ...report },
          });
        }
        for (const m of messages) await tx.outboxMessage.upsert({ where: { key: m.key }, update: {}, create: m });
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

    /**
     * R5: the result document, in Kazakh and Russian, signed, put in the personal cabinet and queued for the
     * notifier — all in one transaction and exactly once per application and kind, however often it is retried.
     */
    async issueNotice({ applicationId, kind }: { applicationId: string; kind: NoticeKind }): Promise<IssuedNotice> {
      const existing = await store.notice.findMany({ where: { applicationId, kind }, orderBy: { language: 'asc' } });
      if (existing.length === LANGUAGES.length) {
        return { noticeIds: existing.map((n) => n.id), kind, createdAt: existing[0].createdAt.toISOString() };
      }
      const application = await store.application.findUniqueOrThrow({ where: { id: applicationId } });
      const facts = {
        applicationNumber: applicationId,
        category: application.category,
        providerUnit: application.providerUnit,
        registeredAt: application.registeredAt ? formatInstant(application.registeredAt) : '',
        decidedAt: application.decidedAt ? formatInstant(application.decidedAt) : '',
        official: application.official ?? '',
        grounds: application.refusalGrounds,
        motivation: application.motivation,
      };
      const documents = await Promise.all(
        LANGUAGES.map(async (language) => {
          const body = renderNotice(kind, language, facts);
          const signature = await signer.sign(Buffer.from(body, 'utf8'));
          return { noticeKey: `${applicationId}:${kind}:${language}`, applicationId, kind, language, body, signature: signature.cms, certificateFingerprint: signature.certificateFingerprint };
        }),
      );
      const notices = await store.$transaction(async (tx) => {
        const rows = [];
        for (const d of documents) rows.push(await tx.notice.upsert({ where: { noticeKey: d.noticeKey }, update: {}, create: d }));
        await tx.outboxMessage.upsert({
          where: { key: `notice:${applicationId}:${kind}` },
          update: {},
          create: {
            key: `notice:${applicationId}:${kind}`,
            channel: 'notifier',
            payload: { to: 'applicant', cabinetId: application.cabinetId, applicationId, kind, noticeIds: rows.map((r) => r.id) },
          },
        });
        return rows;
      });
      return { noticeIds: notices.map((n) => n.id), kind, createdAt: notices[0].createdAt.toISOString() };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
