/**
 * How the API shows a case (issue 29): one view of each thing, whoever answers it. A case and a complaint are
 * shown from their workflow's status — its query while the history exists, the status it last recorded in the
 * case store afterwards (Application.view, Complaint.view) — so `GET` answers the same bytes before and after the
 * history is gone; documents and the complaints listed on a case come from the store's rows alone.
 */
import type { ApplicationStatus, ComplaintStatus, ComplaintSummary } from '../../domain/case-status';
import { storedMotivation, type ComplaintRecord, type NoticeRecord } from '../../infra/case-store';
import type { PreparedDocuments } from '../../infra/decision-documents';

/** A signed document of the cabinet (R5, R13). */
export function noticeView(n: NoticeRecord) {
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

/** A complaint as a case lists it, from its row (R13). */
export function complaintItem(c: ComplaintRecord) {
  return {
    complaintId: c.id,
    applicationId: c.applicationId,
    addressee: c.addressee,
    // R13: the unit of the registry reviewing it (the provider, or the authority's department)
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
    motivation: storedMotivation(c),
    official: c.official,
    decidedAt: c.decidedAt?.toISOString() ?? null,
  };
}

/** A complaint the case's workflow has filed and its own workflow not yet recorded: what the case knows of it. */
function filedItem(applicationId: string, c: ComplaintSummary): ReturnType<typeof complaintItem> & { endedWithoutDecision?: true } {
  return {
    complaintId: c.complaintId,
    applicationId,
    addressee: c.addressee,
    reviewingUnit: null,
    state: 'received',
    overdue: false,
    submittedAt: c.submittedAt,
    registeredAt: c.registeredAt,
    dueAt: c.dueAt,
    contestedRound: c.contestedRound,
    subject: c.subject ?? 'result',
    late: c.late ?? false,
    periodRestored: null,
    outcome: c.outcome,
    motivation: null,
    official: null,
    decidedAt: c.decidedAt,
    ...(c.endedWithoutDecision && { endedWithoutDecision: true as const }),
  };
}

/**
 * The complaints of a case: every one recorded (a late one against a closed case included), marked where the
 * case saw its workflow end without a decision (terminated by hand: it settles nothing), then any the case has
 * filed a moment ago and its workflow not yet recorded, in the order they were filed. `view` is the case's view
 * (its query, or the one it recorded), so the answer is the same before and after its history is gone.
 */
export function complaintsOfCase(applicationId: string, rows: readonly ComplaintRecord[], view: ApplicationStatus) {
  const known = new Map(view.complaints.map((c) => [c.complaintId, c]));
  const recorded = new Set(rows.map((r) => r.id));
  const justFiled = view.complaints.filter((c) => !recorded.has(c.complaintId)).map((c) => filedItem(applicationId, c));
  return [...rows.map((r) => ({ ...complaintItem(r), ...(known.get(r.id)?.endedWithoutDecision && { endedWithoutDecision: true }) })), ...justFiled];
}

/** The case as its workflow holds it. */
export function caseView(status: ApplicationStatus) {
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
    identity: status.identity ?? null,
    decisionOrderedAt: status.decisionOrderedAt ?? null,
    yearHeldBy: status.yearHeldBy ?? null,
  };
}

/** A complaint as its workflow holds it, with the body reviewing it (fixed when it was recorded). */
export function complaintView(status: ComplaintStatus, reviewingUnit: string | null) {
  return {
    complaintId: status.complaintId,
    applicationId: status.applicationId,
    addressee: status.addressee,
    reviewingUnit,
    state: status.state,
    overdue: status.overdue,
    submittedAt: status.submittedAt,
    registeredAt: status.registeredAt,
    dueAt: status.dueAt,
    contestedRound: status.contestedRound,
    subject: status.subject,
    late: status.late,
    restorationReason: status.restorationReason,
    periodRestored: status.periodRestored,
    providerDueAt: status.providerDueAt ?? null,
    forwardedAt: status.forwardedAt ?? null,
    forwardedBy: status.forwardedBy ?? null,
    outcome: status.outcome,
    motivation: status.motivation,
    official: status.official,
    decidedBy: status.decidedBy ?? null,
    decidedAt: status.decidedAt,
    notifiedAt: status.notifiedAt,
  };
}

/** Issue 31: documents prepared for the deciding official to sign, and who the documents name. */
export function preparedView(p: PreparedDocuments) {
  return {
    kind: p.kind,
    unit: p.unit,
    official: { id: p.person.id, name: p.person.name, position: p.person.position },
    preparedAt: p.preparedAt,
    documents: p.documents,
  };
}
