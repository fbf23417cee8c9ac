/**
 * Documents for the applicant's cabinet (R5, R13): rendered in Kazakh and Russian, signed with the EDS, stored
 * and queued for the notifier in one transaction, exactly once per document however often it is retried.
 */
import type { Defect } from '../domain/admissibility';
import { nameOnDocuments } from '../domain/identity';
import { LANGUAGES, renderNotice, type ComplaintFacts, type NoticeFacts, type NoticeKind, type ResultKind } from '../domain/notices';
import { unitName, type ProviderUnits } from '../domain/provider-units';
import { documentRecords, type DecisionRecord, type IssuedNotice, type NoticeRequest } from '../infra/case-store';
import { documentKey } from '../infra/outbox-keys';
import type { UnitSigners } from '../infra/signer';
import type { Store } from '../infra/store';

export type { DecisionRecord, IssuedNotice, NoticeRequest } from '../infra/case-store';

/**
 * R5: a decision and its signed result, recorded together. The workflow passes what it knows of the case, so the
 * activity reads nothing back (issue 29).
 */
export interface ResultRecord {
  decision: DecisionRecord;
  kind: ResultKind;
  /** a result's round (R13); 1 when absent */
  round?: number;
  application: {
    fullName: string;
    category: string;
    purpose: NoticeFacts['purpose'];
    standard: NoticeFacts['standard'];
    providerUnit: string;
    cabinetId: string | null;
    submittedAt: string;
    registeredAt: string | null;
    decisionDueAt: string | null;
  };
}

/**
 * R5, R13: the unit that issues a document and whose authorised person signs it — the provider for a result and
 * the pre-trial record, the reviewing body for a complaint's decision, the State Corporation for its receipt.
 */
export function issuingUnitOf(
  kind: NoticeKind,
  units: ProviderUnits,
  application: { providerUnit: string },
  complaint?: { reviewingUnit: string | null; addressee: string; decidedBy: string | null },
): string {
  if (kind === 'intake-receipt') return units.stateCorporation().id;
  // APPK art. 91 §4: a complaint the provider satisfied in full is the provider's act; any other, the reviewer's.
  if (kind === 'complaint-decision' && complaint && complaint.decidedBy !== 'provider')
    return units.reviewerOf(complaint, application.providerUnit).id;
  return application.providerUnit;
}

/** The document activities, over the store, each unit's signer and the registry given. */
export function createDocumentActivities({ store, signers, units }: { store: Store; signers: UnitSigners; units: ProviderUnits }) {
  const records = documentRecords(store);
  return {
    /**
     * A document for the applicant's cabinet — a result (R5), a complaint's decision or the pre-trial record
     * (R13) — in Kazakh and Russian, signed, stored and queued for the notifier, all in one transaction and
     * exactly once per document, however often it is retried. A later round's result supersedes the earlier.
     */
    async issueNotice(request: NoticeRequest): Promise<IssuedNotice> {
      const { applicationId, kind } = request;
      const found = await records.issuedBefore(request);
      if (found) return found;
      // R10: an upheld complaint against a refusal reopens it only while no newer application holds the year;
      // only a complaint's decision says so.
      const { application, yearHolder } = await records.subjectOf(applicationId, kind === 'complaint-decision');
      const complaintFacts = (c: (typeof application.complaints)[number]): ComplaintFacts => ({
        complaintId: c.id,
        addressee: c.addressee as ComplaintFacts['addressee'],
        subject: c.subject as ComplaintFacts['subject'],
        late: c.late,
        throughProvider: c.providerDueAt !== null,
        forwardedBy: c.forwardedBy as ComplaintFacts['forwardedBy'],
        decidedBy: c.decidedBy as ComplaintFacts['decidedBy'],
        petitioned: c.restorationReason !== null,
        periodRestored: c.periodRestored,
        submittedAt: c.submittedAt,
        registeredAt: c.registeredAt,
        outcome: c.outcome as ComplaintFacts['outcome'],
        motivation: c.motivation,
        official: c.official,
        decidedAt: c.decidedAt,
        yearHeldBy: yearHolder,
        // decided after the case moved on to a later round (domain/complaint.ts#reopensTheReview)
        resultSuperseded: c.contestedRound < application.round,
      });
      const complaint = application.complaints.find((c) => c.id === request.complaintId);
      if (kind === 'complaint-decision' && !complaint) throw new Error(`no complaint ${request.complaintId} on application ${applicationId}`);
      const issuer = issuingUnitOf(kind, units, application, complaint);
      const signed = await signDocuments(request, issuer, (signer) => ({
        applicationNumber: applicationId,
        applicantName: nameOnDocuments(application.fullName, application),
        category: application.category,
        purpose: application.purpose as NoticeFacts['purpose'],
        issuer: { kk: unitName(units, issuer, 'kk'), ru: unitName(units, issuer, 'ru') },
        signer,
        standard: application.standard as NoticeFacts['standard'],
        submittedAt: application.submittedAt,
        registeredAt: application.registeredAt,
        dueAt: application.decisionDueAt,
        decidedAt: application.decidedAt,
        official: application.official,
        grounds: application.refusalGrounds,
        motivation: application.motivation,
        defects: (application.defects as Defect[] | null) ?? null,
        ...(complaint && { complaint: complaintFacts(complaint) }),
        ...(kind === 'pre-trial-record' && {
          complaints: application.complaints.map(complaintFacts),
          preTrialCompletedAt: application.preTrialCompletedAt,
        }),
      }));
      return records.store(request, application.cabinetId, signed);
    },

    /**
     * R3, R5: the decision and its signed result in one transaction, from the facts the workflow passes: the
     * case's decision columns (R10: a refusal frees the teacher's year), the documents in Kazakh and Russian, and
     * their delivery. A retry after the commit finds the documents and answers them.
     */
    async issueResult(record: ResultRecord): Promise<IssuedNotice> {
      const { decision: d, application } = record;
      const request: NoticeRequest = { applicationId: d.applicationId, kind: record.kind, ...(record.round && { round: record.round }) };
      const found = await records.issuedBefore(request);
      if (found) return found;
      const issuer = application.providerUnit;
      const signed = await signDocuments(request, issuer, (signer) => ({
        applicationNumber: d.applicationId,
        applicantName: application.fullName,
        category: application.category,
        purpose: application.purpose,
        issuer: { kk: unitName(units, issuer, 'kk'), ru: unitName(units, issuer, 'ru') },
        signer,
        standard: application.standard,
        submittedAt: new Date(application.submittedAt),
        registeredAt: application.registeredAt === null ? null : new Date(application.registeredAt),
        dueAt: application.decisionDueAt === null ? null : new Date(application.decisionDueAt),
        decidedAt: new Date(d.decidedAt),
        official: d.official,
        grounds: d.grounds,
        motivation: d.motivation,
        defects: d.defects ?? null,
      }));
      return records.store(request, application.cabinetId, signed, d);
    },
  };

  /** R5: the document rendered in each language and signed by the issuing unit's authorised person. */
  async function signDocuments(request: NoticeRequest, issuer: string, factsFor: (signer: NoticeFacts['signer']) => NoticeFacts) {
    const key = signers.forUnit(issuer);
    const identity = key.signer.identity();
    const facts = factsFor({ person: identity.person, fingerprint: identity.fingerprint });
    const document = documentKey(request);
    const documents = await Promise.all(
      LANGUAGES.map(async (language) => {
        const body = renderNotice(request.kind, language, facts);
        const signature = await key.signer.sign(Buffer.from(body, 'utf8'));
        return {
          noticeKey: `${document}:${language}`,
          applicationId: request.applicationId,
          kind: request.kind,
          round: request.round ?? 1,
          complaintId: request.complaintId ?? null,
          language,
          body,
          signature: signature.cms,
          certificateFingerprint: signature.certificateFingerprint,
        };
      }),
    );
    return { unit: key.unit, identity, documents };
  }
}

export type DocumentActivities = ReturnType<typeof createDocumentActivities>;
