/** How the API shows what the case store holds: documents, complaints and a case whose workflow is gone. */
import type { ApplicationStatus } from '../../domain/case-status';
import { custodyFromRow } from '../inspector';

type NoticeRow = {
  id: string;
  kind: string;
  round: number;
  supersededAt: Date | null;
  complaintId: string | null;
  language: string;
  createdAt: Date;
  body: string;
  signature: string | null;
  certificateFingerprint: string | null;
};

/** A signed document of the cabinet (R5, R13). */
export function noticeView(n: NoticeRow) {
  return {
    noticeId: n.id,
    kind: n.kind,
    round: n.round,
    // R13: a result an upheld complaint overturned stays in the cabinet, marked as no longer in force
    supersededAt: n.supersededAt?.toISOString() ?? null,
    complaintId: n.complaintId,
    language: n.language,
    createdAt: n.createdAt.toISOString(),
    body: n.body,
    signature: n.signature && {
      format: 'CMS SignedData (detached, DER, base64) over the UTF-8 bytes of body',
      value: n.signature,
      certificateFingerprint: n.certificateFingerprint,
    },
  };
}

type ComplaintRow = {
  id: string;
  applicationId: string;
  addressee: string;
  reviewingUnit: string | null;
  state: string;
  overdue: boolean;
  submittedAt: Date;
  registeredAt: Date;
  dueAt: Date;
  contestedRound: number;
  subject: string;
  late: boolean;
  periodRestored: boolean | null;
  outcome: string | null;
  motivation: string | null;
  official: string | null;
  decidedAt: Date | null;
};

/** A complaint from its row, for cases whose workflow is no longer running. */
export function complaintFromRow(c: ComplaintRow) {
  return {
    complaintId: c.id,
    applicationId: c.applicationId,
    addressee: c.addressee,
    // R13: the unit of the registry reviewing it (the provider, or the authority's department); null before the registry
    reviewingUnit: c.reviewingUnit,
    state: c.state,
    overdue: c.overdue,
    submittedAt: c.submittedAt.toISOString(),
    registeredAt: c.registeredAt.toISOString(),
    dueAt: c.dueAt.toISOString(),
    contestedRound: c.contestedRound,
    subject: c.subject,
    late: c.late,
    periodRestored: c.periodRestored,
    outcome: c.outcome,
    motivation: c.motivation,
    official: c.official,
    decidedAt: c.decidedAt?.toISOString() ?? null,
  };
}

/** The case as its running workflow tells it: the truth while it runs. */
export function caseFromStatus(status: ApplicationStatus) {
  return {
    standard: status.standard,
    channel: status.channel,
    state: status.state,
    submittedAt: status.submittedAt,
    registeredAt: status.registeredAt,
    decisionDueAt: status.decisionDueAt,
    overdue: status.overdue,
    decision: status.decision,
    refusalGrounds: status.refusalGrounds,
    round: status.round,
    supersededResults: status.supersededResults,
    complaintPeriodEndsAt: status.complaintPeriodEndsAt,
    preTrialCompletedAt: status.preTrialCompletedAt,
    custody: status.custody,
    decisionOrderedAt: status.decisionOrderedAt ?? null,
    yearHeldBy: status.yearHeldBy ?? null,
  };
}

/** The case as the store keeps it, for a case whose workflow is gone. */
export function caseFromRow(
  row: Parameters<typeof custodyFromRow>[0] & {
    standard: string;
    channel: string;
    state: string;
    submittedAt: Date;
    registeredAt: Date | null;
    decisionDueAt: Date | null;
    overdue: boolean;
    decision: string | null;
    refusalGrounds: number[];
    round: number;
    complaintPeriodEndsAt: Date | null;
    preTrialCompletedAt: Date | null;
  },
) {
  return {
    standard: row.standard,
    channel: row.channel,
    state: row.state,
    submittedAt: row.submittedAt.toISOString(),
    registeredAt: row.registeredAt?.toISOString() ?? null,
    decisionDueAt: row.decisionDueAt?.toISOString() ?? null,
    overdue: row.overdue,
    decision: row.decision,
    refusalGrounds: row.decision === 'refuse' ? row.refusalGrounds : null,
    round: row.round,
    supersededResults: [],
    complaintPeriodEndsAt: row.complaintPeriodEndsAt?.toISOString() ?? null,
    preTrialCompletedAt: row.preTrialCompletedAt?.toISOString() ?? null,
    custody: custodyFromRow(row),
    decisionOrderedAt: null,
    yearHeldBy: null,
  };
}
