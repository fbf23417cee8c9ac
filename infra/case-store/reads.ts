/**
 * The case store's named reads, for the API, the inspector and the tools: who a case's parties are, the teacher's
 * applications of a year, a case with its documents and complaints, a cabinet, a complaint, a certificate.
 */
import type { Store } from '../store';

export type { Complaint as ComplaintRecord, Notice as NoticeRecord } from '../../prisma/generated/client';

type Reader = Pick<Store, 'application' | 'complaint' | 'notice' | 'signingCertificate'>;

const DOCUMENT_ORDER = [{ createdAt: 'asc' as const }, { language: 'asc' as const }];
/** A case's complaints in the order they were filed; two filed at the same instant, as the service received them. */
export const COMPLAINT_ORDER = [{ submittedAt: 'asc' as const }, { createdAt: 'asc' as const }];

/** R1: an application's provider unit, submitting client and complaints' reviewers, as recorded; null when it is not recorded (yet). */
export function recordedParties(store: Reader, applicationId: string) {
  return store.application.findUnique({
    where: { id: applicationId },
    select: { providerUnit: true, submittedBy: true, complaints: { select: { reviewingUnit: true, addressee: true } } },
  });
}

/** R1, R13: who reviews a complaint, as recorded when it was filed; null when it is not recorded (yet). */
export function recordedReview(store: Reader, complaintId: string) {
  return store.complaint.findUnique({
    where: { id: complaintId },
    select: { reviewingUnit: true, addressee: true, providerDueAt: true, application: { select: { providerUnit: true, submittedBy: true } } },
  });
}

/** R10: a teacher's applications of an academic year: which holds it, and who submitted each. */
export function applicationsOfYear(store: Reader, iin: string, academicYear: string) {
  return store.application.findMany({ where: { iin, academicYear }, select: { id: true, holdsYear: true, submittedBy: true } });
}

/** An application's recorded state (a finished case's, for the words of a refusal); null for an unknown one. */
export async function recordedState(store: Reader, applicationId: string): Promise<string | null> {
  return (await store.application.findUnique({ where: { id: applicationId }, select: { state: true } }))?.state ?? null;
}

/** An application with its documents and complaints, as recorded. */
export function applicationRecord(store: Reader, applicationId: string) {
  return store.application.findUnique({
    where: { id: applicationId },
    include: { notices: { orderBy: DOCUMENT_ORDER }, complaints: { orderBy: COMPLAINT_ORDER } },
  });
}

/**
 * A cabinet's applications with their documents (R5), oldest first: by when each was submitted, then, for two
 * submitted at the same instant (a relayed batch), by when the service received it.
 */
export function cabinetRecords(store: Reader, cabinetId: string) {
  return store.application.findMany({
    where: { cabinetId },
    orderBy: [{ submittedAt: 'asc' }, { createdAt: 'asc' }],
    include: { notices: { orderBy: DOCUMENT_ORDER } },
  });
}

/** A complaint with its documents, as recorded. */
export function complaintRecord(store: Reader, complaintId: string) {
  return store.complaint.findUnique({ where: { id: complaintId }, include: { notices: { orderBy: { language: 'asc' } } } });
}

/** A complaint's outcome as recorded (null: none yet, or no such complaint). */
export async function recordedOutcome(store: Reader, complaintId: string): Promise<string | null> {
  return (await store.complaint.findUnique({ where: { id: complaintId }, select: { outcome: true } }))?.outcome ?? null;
}

/** R5: a signing certificate by its fingerprint, as stored with the documents it signed. */
export function signingCertificate(store: Reader, fingerprint: string) {
  return store.signingCertificate.findUnique({ where: { fingerprint } });
}

/** The story of a case for support: the application (found by its id or one of its complaints'), documents and complaints. */
export async function caseRecordForStory(store: Reader, id: string) {
  const complaint = await store.complaint.findUnique({ where: { id }, select: { applicationId: true } });
  return store.application.findUnique({
    where: { id: complaint?.applicationId ?? id },
    include: {
      notices: {
        orderBy: DOCUMENT_ORDER,
        select: { kind: true, language: true, round: true, complaintId: true, createdAt: true, supersededAt: true },
      },
      complaints: { orderBy: COMPLAINT_ORDER },
      stages: { orderBy: [{ at: 'asc' }, { key: 'asc' }] },
    },
  });
}

/** A case's messages to the notifier and monitoring, oldest first (by the outbox's index by case). */
export function caseMessages(store: Pick<Store, 'outboxMessage'>, applicationId: string) {
  return store.outboxMessage.findMany({ where: { caseId: applicationId }, orderBy: { createdAt: 'asc' } });
}

/** A view the store keeps as JSON (Application.view, Complaint.view), or null where none was recorded. */
export function parseView<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** The open cases (not closed or withdrawn) among `workflowIds` recorded before `settled`: their state and when it was written. */
export function openCasesAmong(store: Reader, workflowIds: string[], finalStates: readonly string[], settled: Date) {
  return store.application.findMany({
    where: { workflowId: { in: workflowIds }, state: { notIn: [...finalStates] }, updatedAt: { lt: settled } },
    select: { id: true, workflowId: true, state: true, updatedAt: true },
  });
}

/** The open cases recorded before `settled`, at most `take` (the audit's: which of them have no running workflow). */
export function openCases(store: Reader, finalStates: readonly string[], settled: Date, take: number) {
  return store.application.findMany({
    where: { state: { notIn: [...finalStates] }, updatedAt: { lt: settled } },
    select: { id: true, workflowId: true, state: true, updatedAt: true },
    orderBy: { updatedAt: 'asc' },
    take,
  });
}

/** The recorded states of the cases among `workflowIds`. */
export function recordedStates(store: Reader, workflowIds: string[]) {
  return store.application.findMany({ where: { workflowId: { in: workflowIds } }, select: { workflowId: true, state: true, updatedAt: true } });
}

/** How many case rows the store holds (applications, documents, complaints, stage log lines): the bench's footprint. */
export async function caseRowCount(store: Reader & Pick<Store, 'stageLog'>): Promise<number> {
  return (await store.application.count()) + (await store.notice.count()) + (await store.complaint.count()) + (await store.stageLog.count());
}

/**
 * R3, R13: the breaches still open, as the alerts count them (infra/prometheus/alerts.yml): decisions owed past their
 * term, by provider unit, and complaint reviews owed past theirs, by reviewing unit (`unknown`: a complaint recorded
 * before the reviewer was).
 */
export async function openBreaches(store: Pick<Store, 'application' | 'complaint'>): Promise<{
  decisions: Map<string, number>;
  complaintReviews: Map<string, number>;
}> {
  const decisions = await store.application.groupBy({
    by: ['providerUnit'],
    where: { state: 'under-review', overdue: true },
    _count: { _all: true },
  });
  const reviews = await store.complaint.groupBy({ by: ['reviewingUnit'], where: { overdue: true, outcome: null }, _count: { _all: true } });
  return {
    decisions: new Map(decisions.map((d) => [d.providerUnit, d._count._all])),
    complaintReviews: new Map(reviews.map((r) => [r.reviewingUnit ?? 'unknown', r._count._all])),
  };
}
