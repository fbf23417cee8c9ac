/**
 * Documents for the applicant's cabinet (R5, R13): rendered in Kazakh and Russian, signed with the EDS, stored
 * and queued for the notifier in one transaction, exactly once per document however often it is retried.
 */
import type { Defect } from '../domain/admissibility';
import { nameOnDocuments } from '../domain/identity';
import { LANGUAGES, renderNotice, type NoticeFacts, type ResultKind, type SignedDecisionDocuments } from '../domain/notices';
import { issuingUnitOf, unitName, type ProviderUnits } from '../domain/provider-units';
import {
  complaintFactsOf,
  documentRecords,
  storedMotivation,
  type DecisionRecord,
  type IssuedNotice,
  type NoticeRequest,
  type SignedDocuments,
} from '../infra/case-store';
import { documentKey } from '../infra/outbox-keys';
import { identityOf, type UnitSigners } from '../infra/signer';
import type { Store } from '../infra/store';

export type { DecisionRecord, IssuedNotice, NoticeRequest } from '../infra/case-store';

/**
 * R5: a decision and its signed result, recorded together. The workflow passes what it knows of the case, so the
 * activity reads nothing back (issue 29).
 */
export interface ResultRecord {
  decision: DecisionRecord;
  kind: ResultKind;
  /** issue 31: the documents the deciding official signed with their own certificate; absent, the unit's key signs */
  signed?: SignedDecisionDocuments;
  /** a result's round (R13); 1 when absent */
  round?: number;
  application: {
    fullName: string;
    /** named beside her on every document (issue 31) */
    iin: string;
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
      const complaintFacts = (c: (typeof application.complaints)[number]) => complaintFactsOf(c, application, yearHolder);
      const complaint = application.complaints.find((c) => c.id === request.complaintId);
      if (kind === 'complaint-decision' && !complaint) throw new Error(`no complaint ${request.complaintId} on application ${applicationId}`);
      const issuer = issuingUnitOf(kind, units, application, complaint);
      // issue 31: a complaint's decision the official signed is stored as they signed it
      if (request.signed) return records.store(request, application.cabinetId, signedByOfficial(request, issuer, request.signed));
      const signed = await signDocuments(request, issuer, (signer) => ({
        applicationNumber: applicationId,
        applicantName: nameOnDocuments(application.fullName, application),
        iin: application.iin,
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
        motivation: storedMotivation(application),
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
      if (record.signed) return records.store(request, application.cabinetId, signedByOfficial(request, issuer, record.signed), d);
      const signed = await signDocuments(request, issuer, (signer) => ({
        applicationNumber: d.applicationId,
        applicantName: application.fullName,
        iin: application.iin,
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

  /** Issue 31: the documents the official signed, as the store keeps them, under the unit they decided for. */
  function signedByOfficial(request: NoticeRequest, unit: string, signed: SignedDecisionDocuments): SignedDocuments {
    const document = documentKey(request);
    return {
      unit,
      identity: identityOf(signed.certificatePem),
      documents: signed.documents.map((d) => ({
        noticeKey: `${document}:${d.language}`,
        applicationId: request.applicationId,
        kind: request.kind,
        round: request.round ?? 1,
        complaintId: request.complaintId ?? null,
        language: d.language,
        body: d.body,
        signature: d.signature,
        certificateFingerprint: d.certificateFingerprint,
      })),
    };
  }

  /** R5: the document rendered in each language and signed with the issuing unit's own key (issue 31). */
  async function signDocuments(request: NoticeRequest, issuer: string, factsFor: (signer: NoticeFacts['signer']) => NoticeFacts) {
    const key = signers.forUnit(issuer);
    const identity = key.signer.identity();
    // the key's holder is the issuing unit itself (a case from before the registry: the Ministry, infra/signers.ts)
    const facts = factsFor({
      holder: { kk: unitName(units, key.unit, 'kk'), ru: unitName(units, key.unit, 'ru') },
      fingerprint: identity.fingerprint,
    });
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
