/**
 * The case store's documents (R5, R13): what a document is issued about, the signed documents with their
 * certificate and their delivery to the cabinet, stored in one transaction and exactly once per document, and
 * the decision a result carries, recorded in the same transaction.
 */
import type { Bilingual } from '../../domain/fields';
import type { Defect } from '../../domain/admissibility';
import { holdsTheYear } from '../../domain/academic-year';
import { LANGUAGES, RESULT_KINDS, type ComplaintFacts, type NoticeKind, type SignedDecisionDocuments } from '../../domain/notices';
import { enqueue } from '../outbox';
import { documentKey, outboxKeys } from '../outbox-keys';
import type { SignerIdentity } from '../signer';
import { Prisma, type Store } from '../store';
import type { Complaint } from '../../prisma/generated/client';
import { yearHolderOf } from './applications';
import { COMPLAINT_ORDER } from './reads';

export interface NoticeRequest {
  applicationId: string;
  kind: NoticeKind;
  /** a result's round (R13); 1 when absent */
  round?: number;
  /** the complaint a complaint-decision answers */
  complaintId?: string;
  /** issue 31: a complaint's decision as the deciding official signed it, stored as it is */
  signed?: SignedDecisionDocuments;
}

export interface IssuedNotice {
  noticeIds: string[];
  kind: NoticeKind;
  createdAt: string;
}

/** A decision as the case store records it. */
export interface DecisionRecord {
  applicationId: string;
  state: string;
  decision: 'accept' | 'refuse';
  grounds: number[];
  /** in each document's language */
  motivation: Bilingual | null;
  /** the deciding official; null for a refusal by rule, issued in the name of the provider's authorised person */
  official: string | null;
  /** R9: the defects of a refusal by rule, which its document words in each language */
  defects?: Defect[];
  decidedAt: string;
}

/** Documents signed and ready to store: by whom (the unit's authorised person's certificate), and each language's. */
export interface SignedDocuments {
  unit: string;
  identity: SignerIdentity;
  documents: Array<{
    noticeKey: string;
    applicationId: string;
    kind: NoticeKind;
    round: number;
    complaintId: string | null;
    language: string;
    body: string;
    signature: string;
    certificateFingerprint: string;
  }>;
}

/**
 * A motivation as a row keeps it (issue 31): the Russian in `motivation`, the Kazakh in `motivationKk`. A decision
 * from before the Kazakh had its column holds one text, which both its documents printed.
 */
export function storedMotivation(row: { motivation: string | null; motivationKk: string | null }): Bilingual | null {
  return row.motivation === null ? null : { kk: row.motivationKk ?? row.motivation, ru: row.motivation };
}

/**
 * A complaint as its documents state it, from its row: its road (through the provider, forwarded by whom, decided
 * by whom), its lateness and outcome, and (R10, R13) what an upheld one does to the case — `yearHolder`, the newer
 * application holding the teacher's year, if any.
 */
export function complaintFactsOf(c: Complaint, application: { round: number }, yearHolder: string | null): ComplaintFacts {
  return {
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
    motivation: storedMotivation(c),
    official: c.official,
    decidedAt: c.decidedAt,
    yearHeldBy: yearHolder,
    // decided after the case moved on to a later round (domain/complaint.ts#reopensTheReview)
    resultSuperseded: c.contestedRound < application.round,
  };
}

/** R3, R10: a decision on the application's row; a refusal frees the teacher's year, an acceptance keeps it. */
async function recordDecision(tx: Prisma.TransactionClient, d: DecisionRecord): Promise<void> {
  await tx.application.update({
    where: { id: d.applicationId },
    data: {
      state: d.state,
      decision: d.decision,
      refusalGrounds: d.grounds,
      motivation: d.motivation?.ru ?? null,
      motivationKk: d.motivation?.kk ?? null,
      official: d.official,
      defects: d.defects ?? Prisma.DbNull,
      holdsYear: holdsTheYear(d) ? true : null,
      decidedAt: new Date(d.decidedAt),
    },
  });
}

/** The document records of the case store, over the store given. */
export function documentRecords(store: Store) {
  /** The certificates this worker has seen stored: each is written once, not with every document it signs. */
  const certificatesStored = new Set<string>();
  return {
    /**
     * What a document is issued about: the application with its complaints, and (`withYearHolder`, for a
     * complaint's decision on a refusal) the newer application that holds the teacher's year, if any (R10).
     */
    /** The application a complaint is against. */
    async applicationOfComplaint(complaintId: string): Promise<string> {
      return (await store.complaint.findUniqueOrThrow({ where: { id: complaintId }, select: { applicationId: true } })).applicationId;
    },

    async subjectOf(applicationId: string, withYearHolder: boolean) {
      const application = await store.application.findUniqueOrThrow({
        where: { id: applicationId },
        include: { complaints: { orderBy: COMPLAINT_ORDER } },
      });
      const yearHolder = withYearHolder && application.holdsYear === null ? await yearHolderOf(store, application, applicationId) : null;
      return { application, yearHolder };
    },

    /** The documents of a request stored before (a retry after the commit), or null. */
    async issuedBefore(request: NoticeRequest): Promise<IssuedNotice | null> {
      const document = documentKey(request);
      const existing = await store.notice.findMany({
        where: { noticeKey: { in: LANGUAGES.map((l) => `${document}:${l}`) } },
        orderBy: { language: 'asc' },
      });
      if (existing.length !== LANGUAGES.length) return null;
      return { noticeIds: existing.map((n) => n.id), kind: request.kind, createdAt: existing[0].createdAt.toISOString() };
    },

    /**
     * Stores signed documents with their certificate and their delivery to the cabinet in one transaction, with
     * the decision they carry when given (R3, R5); a later round's result supersedes the earlier.
     */
    async store(
      request: NoticeRequest,
      cabinetId: string | null,
      { unit, identity, documents }: SignedDocuments,
      decision?: DecisionRecord,
    ): Promise<IssuedNotice> {
      const { applicationId, kind } = request;
      const round = request.round ?? 1;
      const notices = await store.$transaction(async (tx) => {
        if (decision) await recordDecision(tx, decision);
        // R5: the certificate stays resolvable by its fingerprint for as long as the documents it signed are kept.
        // One INSERT … ON CONFLICT DO NOTHING: the first documents a unit signs arrive side by side, and Prisma's
        // upsert (a read, then an insert) made all but one of them fail on the certificate and retry.
        if (!certificatesStored.has(identity.fingerprint))
          await tx.signingCertificate.createMany({
            data: [
              {
                fingerprint: identity.fingerprint,
                unit,
                person: identity.person,
                organisation: identity.organisation,
                pem: identity.certificatePem,
                notBefore: identity.notBefore,
                notAfter: identity.notAfter,
              },
            ],
            skipDuplicates: true,
          });
        // A retried attempt finds the documents it wrote before and keeps them: an insert that skips them, and a
        // read only when it skipped some (an upsert with nothing to update costs Prisma a read and a write: issue 19).
        const created = await tx.notice.createManyAndReturn({ data: documents, skipDuplicates: true });
        const stored =
          created.length === documents.length
            ? created
            : await tx.notice.findMany({ where: { noticeKey: { in: documents.map((d) => d.noticeKey) } } });
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
    },
  };
}
