/**
 * Documents for the applicant's cabinet (R5, R13): rendered in Kazakh and Russian, signed with the EDS, stored
 * and queued for the notifier in one transaction, exactly once per document however often it is retried.
 */
import type { Defect } from '../domain/admissibility';
import { holdsTheYear } from '../domain/academic-year';
import { LANGUAGES, RESULT_KINDS, renderNotice, type ComplaintFacts, type NoticeFacts, type NoticeKind, type ResultKind } from '../domain/notices';
import { enqueue } from '../infra/outbox';
import { documentKey, outboxKeys } from '../infra/outbox-keys';
import { unitName, type ProviderUnits } from '../domain/provider-units';
import type { UnitSigners } from '../infra/signer';
import { Prisma, type Store } from '../infra/store';

export interface NoticeRequest {
  applicationId: string;
  kind: NoticeKind;
  /** a result's round (R13); 1 when absent */
  round?: number;
  /** the complaint a complaint-decision answers */
  complaintId?: string;
}

/** A decision as the case store records it. */
export interface DecisionRecord {
  applicationId: string;
  state: string;
  decision: 'accept' | 'refuse';
  grounds: number[];
  motivation: string | null;
  /** the deciding official; null for a refusal by rule, issued in the name of the provider's authorised person */
  official: string | null;
  /** R9: the defects of a refusal by rule, which its document words in each language */
  defects?: Defect[];
  decidedAt: string;
}

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

export interface IssuedNotice {
  noticeIds: string[];
  kind: NoticeKind;
  createdAt: string;
}

/**
 * R5, R13: the unit that issues a document and whose authorised person signs it — the provider for a result and
 * the pre-trial record, the reviewing body for a complaint's decision, the State Corporation for its receipt.
 */
export function issuingUnitOf(
  kind: NoticeKind,
  units: ProviderUnits,
  application: { providerUnit: string },
  complaint?: { reviewingUnit: string | null; addressee: string },
): string {
  if (kind === 'intake-receipt') return units.stateCorporation().id;
  if (kind === 'complaint-decision' && complaint) return units.reviewerOf(complaint, application.providerUnit).id;
  return application.providerUnit;
}

/** The document activities, over the store, each unit's signer and the registry given. */
export function createDocumentActivities({ store, signers, units }: { store: Store; signers: UnitSigners; units: ProviderUnits }) {
  /** The certificates this worker has seen stored: each is written once, not with every document it signs. */
  const certificatesStored = new Set<string>();
  return {
    /**
     * A document for the applicant's cabinet — a result (R5), a complaint's decision or the pre-trial record
     * (R13) — in Kazakh and Russian, signed, stored and queued for the notifier, all in one transaction and
     * exactly once per document, however often it is retried. A later round's result supersedes the earlier.
     */
    async issueNotice(request: NoticeRequest): Promise<IssuedNotice> {
      const { applicationId, kind } = request;
      const found = await issuedBefore(request);
      if (found) return found;
      const application = await store.application.findUniqueOrThrow({
        where: { id: applicationId },
        include: { complaints: { orderBy: { submittedAt: 'asc' } } },
      });
      // R10: an upheld complaint against a refusal reopens it only while no newer application holds the year;
      // only a complaint's decision says so.
      const yearHolder =
        kind === 'complaint-decision' && application.holdsYear === null
          ? ((
              await store.application.findFirst({
                where: { iin: application.iin, academicYear: application.academicYear, holdsYear: true, NOT: { id: applicationId } },
                select: { id: true },
              })
            )?.id ?? null)
          : null;
      const complaintFacts = (c: (typeof application.complaints)[number]): ComplaintFacts => ({
        complaintId: c.id,
        addressee: c.addressee as ComplaintFacts['addressee'],
        subject: c.subject as ComplaintFacts['subject'],
        late: c.late,
        periodRestored: c.periodRestored,
        submittedAt: c.submittedAt,
        registeredAt: c.registeredAt,
        outcome: c.outcome as ComplaintFacts['outcome'],
        motivation: c.motivation,
        official: c.official,
        decidedAt: c.decidedAt,
        yearHeldBy: yearHolder,
        caseClosed: c.againstClosedCase,
      });
      const complaint = application.complaints.find((c) => c.id === request.complaintId);
      if (kind === 'complaint-decision' && !complaint) throw new Error(`no complaint ${request.complaintId} on application ${applicationId}`);
      const issuer = issuingUnitOf(kind, units, application, complaint);
      const signed = await signDocuments(request, issuer, (signer) => ({
        applicationNumber: applicationId,
        applicantName: application.fullName,
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
      return storeDocuments(request, application.cabinetId, signed);
    },

    /**
     * R3, R5: the decision and its signed result in one transaction, from the facts the workflow passes: the
     * case's decision columns (R10: a refusal frees the teacher's year), the documents in Kazakh and Russian, and
     * their delivery. A retry after the commit finds the documents and answers them.
     */
    async issueResult(record: ResultRecord): Promise<IssuedNotice> {
      const { decision: d, application } = record;
      const request: NoticeRequest = { applicationId: d.applicationId, kind: record.kind, ...(record.round && { round: record.round }) };
      const found = await issuedBefore(request);
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
      return storeDocuments(request, application.cabinetId, signed, (tx) =>
        tx.application.update({
          where: { id: d.applicationId },
          data: {
            state: d.state,
            decision: d.decision,
            refusalGrounds: d.grounds,
            motivation: d.motivation,
            official: d.official,
            defects: d.defects ?? Prisma.DbNull,
            // R10: a refusal frees the teacher's year; an acceptance keeps it.
            holdsYear: holdsTheYear(d) ? true : null,
            decidedAt: new Date(d.decidedAt),
          },
        }),
      );
    },
  };

  /** The documents of a request stored before (a retry after the commit), or null. */
  async function issuedBefore(request: NoticeRequest): Promise<IssuedNotice | null> {
    const document = documentKey(request);
    const existing = await store.notice.findMany({
      where: { noticeKey: { in: LANGUAGES.map((l) => `${document}:${l}`) } },
      orderBy: { language: 'asc' },
    });
    if (existing.length !== LANGUAGES.length) return null;
    return { noticeIds: existing.map((n) => n.id), kind: request.kind, createdAt: existing[0].createdAt.toISOString() };
  }

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
    return { key, identity, documents };
  }

  /**
   * Stores signed documents with their certificate and their delivery to the cabinet in one transaction, with
   * `alongside` (the decision they carry) when given; a later round's result supersedes the earlier.
   */
  async function storeDocuments(
    request: NoticeRequest,
    cabinetId: string | null,
    { key, identity, documents }: Awaited<ReturnType<typeof signDocuments>>,
    alongside?: (tx: Prisma.TransactionClient) => Promise<unknown>,
  ): Promise<IssuedNotice> {
    const { applicationId, kind } = request;
    const round = request.round ?? 1;
    const notices = await store.$transaction(async (tx) => {
      if (alongside) await alongside(tx);
      // R5: the certificate stays resolvable by its fingerprint for as long as the documents it signed are kept.
      if (!certificatesStored.has(identity.fingerprint))
        await tx.signingCertificate.upsert({
          where: { fingerprint: identity.fingerprint },
          update: {},
          create: {
            fingerprint: identity.fingerprint,
            unit: key.unit,
            person: identity.person,
            organisation: identity.organisation,
            pem: identity.certificatePem,
            notBefore: identity.notBefore,
            notAfter: identity.notAfter,
          },
        });
      // A retried attempt finds the documents it wrote before and keeps them: an insert that skips them, and a
      // read only when it skipped some (an upsert with nothing to update costs Prisma a read and a write: issue 19).
      const created = await tx.notice.createManyAndReturn({ data: documents, skipDuplicates: true });
      const stored =
        created.length === documents.length ? created : await tx.notice.findMany({ where: { noticeKey: { in: documents.map((d) => d.noticeKey) } } });
      const rows = documents.map((d) => stored.find((row) => row.noticeKey === d.noticeKey)!);
      if (round > 1 && (RESULT_KINDS as readonly string[]).includes(kind)) {
        // R13: the new result replaces the one an upheld complaint overturned (the first round has none).
        await tx.notice.updateMany({
          where: { applicationId, kind: { in: [...RESULT_KINDS] }, round: { lt: round }, supersededAt: null },
          data: { supersededAt: rows[0].createdAt },
        });
      }
      await enqueue(tx, [
        {
          key: outboxKeys.notice(documentKey(request)),
          channel: 'notifier',
          payload: { to: 'applicant', cabinetId, applicationId, kind, noticeIds: rows.map((r) => r.id) },
        },
      ]);
      return rows;
    });
    certificatesStored.add(identity.fingerprint); // committed with the documents it signed
    return { noticeIds: notices.map((n) => n.id), kind, createdAt: notices[0].createdAt.toISOString() };
  }
}

export type DocumentActivities = ReturnType<typeof createDocumentActivities>;
