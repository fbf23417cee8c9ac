/**
 * The application's I/O, as activities. Each is idempotent — keyed by the application id and a unique
 * notice key — so a retry after a crash never writes a second row or a second notice.
 */
import { ApplicationFailure, log } from '@temporalio/activity';
import type { ApplicationInput } from '../domain/application';
import type { CalendarOverride } from '../domain/calendar';
import { formatInstant } from '../domain/calendar';
import { readCalendarOverrides } from './calendar-overrides';
import { renderNotice, type NoticeKind } from './notices';
import { DatabaseGateway, type StateRecordsGateway } from './gateway';
import type { Store } from './store';
import type { StateRecords } from '../domain/admissibility';

export interface ActivityDeps {
  store: Store;
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
  noticeId: string;
  kind: NoticeKind;
  createdAt: string;
}

/** The activities with their stores injected, so tests can run them against any database. */
export function createActivities({ store, gateway = new DatabaseGateway(store) }: ActivityDeps) {
  return {
    /** R8: what the state information systems hold of the applicant, through the e-government gateway. */
    async lookUpStateRecords({ iin }: { iin: string }): Promise<StateRecords> {
      return gateway.lookUp(iin);
    },

    /** Stores a received application; a retry finds the row it wrote before. */
    async recordApplication(input: ApplicationInput): Promise<void> {
      const existing = await store.application.findUnique({ where: { iin_academicYear: { iin: input.iin, academicYear: input.academicYear } }, select: { id: true } });
      if (existing && existing.id !== input.applicationId) {
        // R10's second guard: the workflow id is the first; a retry could not make this row insertable.
        throw ApplicationFailure.nonRetryable(
          `the teacher already has application ${existing.id} for ${input.academicYear}; attestation happens once per academic year (R10)`,
          'DuplicateApplication',
        );
      }
      await store.application.upsert({
        where: { id: input.applicationId },
        update: {},
        create: {
          id: input.applicationId,
          workflowId: `application-${input.applicationId}`,
          iin: input.iin,
          fullName: input.fullName,
          category: input.category,
          channel: input.channel,
          providerUnit: input.providerUnit,
          academicYear: input.academicYear,
          state: 'received',
          submittedAt: new Date(input.submittedAt),
        },
      });
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

    async recordStage(stage: StageRecord): Promise<void> {
      await store.application.update({
        where: { id: stage.applicationId },
        data: {
          state: stage.state,
          ...(stage.registeredAt && { registeredAt: new Date(stage.registeredAt) }),
          ...(stage.decisionDueAt && { decisionDueAt: new Date(stage.decisionDueAt) }),
          ...(stage.overdue !== undefined && { overdue: stage.overdue }),
        },
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

    /** R5: the result document in the personal cabinet, exactly once per application and kind. */
    async issueNotice({ applicationId, kind }: { applicationId: string; kind: NoticeKind }): Promise<IssuedNotice> {
      const noticeKey = `${applicationId}:${kind}`;
      const existing = await store.notice.findUnique({ where: { noticeKey } });
      if (existing) return { noticeId: existing.id, kind, createdAt: existing.createdAt.toISOString() };
      const application = await store.application.findUniqueOrThrow({ where: { id: applicationId } });
      const body = renderNotice(kind, {
        applicationNumber: applicationId,
        category: application.category,
        providerUnit: application.providerUnit,
        registeredAt: application.registeredAt ? formatInstant(application.registeredAt) : '',
        decidedAt: application.decidedAt ? formatInstant(application.decidedAt) : '',
        official: application.official ?? '',
        grounds: application.refusalGrounds,
        motivation: application.motivation,
      });
      const notice = await store.notice.upsert({
        where: { noticeKey },
        update: {},
        create: { noticeKey, applicationId, kind, body },
      });
      return { noticeId: notice.id, kind, createdAt: notice.createdAt.toISOString() };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
