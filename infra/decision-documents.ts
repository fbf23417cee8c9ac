/**
 * The documents of a decision an official takes, prepared for them to sign and checked when they come back signed
 * (issue 31; R5, R13). The API renders the exact documents (Kazakh and Russian) from the case as the store records it
 * and the decision asked, naming the authorised person who takes it; the official's own system signs those bytes
 * (NCALayer at the workplace: a detached CMS); the decision request carries the signatures, and the API renders the
 * documents again from the same facts and accepts the decision only when each signature is over exactly those bytes,
 * by a certificate that chains to the trust anchors, current, whose holder (the IIN it names) is that person, an
 * authorised person of the deciding unit. The workflow then stores those signed documents as they are.
 */
import type { ProviderDecision } from '../domain/application';
import { iinOfSubjectSerial, type AuthorisedPerson, type AuthorisedPersons } from '../domain/authorised-persons';
import { inBothLanguages } from '../domain/fields';
import { nameOnDocuments } from '../domain/identity';
import { LANGUAGES, renderNotice, type Language, type NoticeFacts, type ResultKind, type SignedDecisionDocuments } from '../domain/notices';
import { issuingUnitOf, unitName, type ProviderUnits } from '../domain/provider-units';
import type { Refusal } from '../domain/refusals';
import { standardOf } from '../domain/standards';
import { isSignatureProblem, type SignatureVerifier } from './signature-verifier';
import type { Store } from './store';
import { complaintFactsOf, documentRecords, storedMotivation } from './case-store';
import type { ComplaintDecider, ComplaintDecision } from '../domain/complaint';

/** How long prepared documents may wait for their signatures: a day; older, they are prepared again. */
export const PREPARATION_VALID_MS = 24 * 3600_000;

export interface PreparedDocuments {
  kind: ResultKind | 'complaint-decision';
  /** the deciding unit */
  unit: string;
  person: AuthorisedPerson;
  preparedAt: string;
  documents: Array<{ language: Language; body: string }>;
}

/** The case as the store records it, with its complaints. */
type CaseRecord = Awaited<ReturnType<ReturnType<typeof documentRecords>['subjectOf']>>['application'];

const refused = (code: Refusal['code'], field: string | null, message: string): Refusal => ({ code, field, rule: 'R5', message });

/** The documents of decisions, over the store, the unit registry and the registry of authorised persons. */
export function decisionDocuments({ store, units, persons }: { store: Store; units: ProviderUnits; persons: AuthorisedPersons }) {
  const records = documentRecords(store);
  /**
   * The provider's decision's result (R5), rendered from the application's record: the acceptance (or the earlier
   * standard's receipt) or the refusal, dated `preparedAt`, naming the authorised person with their position.
   */
  async function forResult(applicationId: string, decision: ProviderDecision, preparedAt: Date): Promise<PreparedDocuments | Refusal> {
    const { application } = await records.subjectOf(applicationId, false);
    const unit = application.providerUnit;
    const notAuthorised = persons.refusal(decision.official, unit, preparedAt);
    if (notAuthorised) return refused(notAuthorised.code, 'official', notAuthorised.message);
    const person = persons.find(decision.official)!;
    const standard = standardOf({ standard: application.standard as NoticeFacts['standard'] });
    const kind: ResultKind =
      decision.decision === 'accept'
        ? (standard.channels[application.channel as keyof typeof standard.channels]?.acceptanceDocument ?? 'acceptance')
        : 'refusal';
    const facts: NoticeFacts = {
      ...caseFacts(application, unit, person, preparedAt),
      standard: standard.id,
      official: person.name,
      grounds: decision.grounds ?? [],
      motivation: decision.motivation === undefined ? null : inBothLanguages(decision.motivation),
      defects: null,
    };
    return {
      kind,
      unit,
      person,
      preparedAt: preparedAt.toISOString(),
      documents: LANGUAGES.map((language) => ({ language, body: renderNotice(kind, language, facts) })),
    };
  }

  /**
   * A complaint's decision (R13), rendered from the case's record as it will read once decided: the outcome, the
   * motivation, whether a late one's period is restored, who decides (`as`: the provider satisfying it in full, or
   * the body reviewing it; an administrator's, as the complaint's state says), dated `preparedAt`, naming the
   * authorised person of the deciding unit.
   */
  async function forComplaint(
    complaintId: string,
    decision: ComplaintDecision,
    as: ComplaintDecider | null,
    preparedAt: Date,
  ): Promise<PreparedDocuments | Refusal> {
    const applicationId = await records.applicationOfComplaint(complaintId);
    const { application, yearHolder } = await records.subjectOf(applicationId, true);
    const row = application.complaints.find((c) => c.id === complaintId)!;
    const decidedBy: ComplaintDecider = as ?? (row.state === 'with-provider' ? 'provider' : 'reviewing-body');
    const complaint = { ...row, decidedBy };
    const unit = issuingUnitOf('complaint-decision', units, application, complaint);
    const notAuthorised = persons.refusal(decision.official, unit, preparedAt);
    if (notAuthorised) return refused(notAuthorised.code, 'official', notAuthorised.message);
    const person = persons.find(decision.official)!;
    const facts: NoticeFacts = {
      ...caseFacts(application, unit, person, preparedAt),
      official: person.name,
      grounds: application.refusalGrounds,
      motivation: storedMotivation(application),
      defects: null,
      complaint: {
        ...complaintFactsOf(row, application, yearHolder),
        decidedBy,
        outcome: decision.outcome,
        motivation: inBothLanguages(decision.motivation),
        official: person.name,
        periodRestored: decision.periodRestored ?? null,
        decidedAt: preparedAt,
      },
    };
    return {
      kind: 'complaint-decision',
      unit,
      person,
      preparedAt: preparedAt.toISOString(),
      documents: LANGUAGES.map((language) => ({ language, body: renderNotice('complaint-decision', language, facts) })),
    };
  }

  /** What every document of the case states: the application, its issuer and the person who signs. */
  function caseFacts(
    application: CaseRecord,
    unit: string,
    person: AuthorisedPerson,
    preparedAt: Date,
  ): Omit<NoticeFacts, 'official' | 'grounds' | 'motivation' | 'defects'> {
    return {
      applicationNumber: application.id,
      applicantName: nameOnDocuments(application.fullName, application),
      iin: application.iin,
      category: application.category,
      purpose: application.purpose as NoticeFacts['purpose'],
      issuer: { kk: unitName(units, unit, 'kk'), ru: unitName(units, unit, 'ru') },
      signer: null,
      authorisedPerson: { name: person.name, position: person.position },
      standard: application.standard as NoticeFacts['standard'],
      submittedAt: application.submittedAt,
      registeredAt: application.registeredAt,
      dueAt: application.decisionDueAt,
      decidedAt: preparedAt,
    };
  }

  return { forResult, forComplaint };
}

/**
 * Checks the signatures of prepared documents: each over exactly its document's bytes, by one certificate that
 * the verifier trusts and whose holder is the person the documents name (by the IIN the certificate states).
 * Answers the signed documents, or the refusal naming why (the field is the signature's language).
 */
export async function checkSignatures(
  prepared: PreparedDocuments,
  signatures: Record<Language, string>,
  verifier: SignatureVerifier,
  now: Date = new Date(),
): Promise<SignedDecisionDocuments | Refusal> {
  const age = now.getTime() - Date.parse(prepared.preparedAt);
  if (age > PREPARATION_VALID_MS || age < -5 * 60_000) {
    return refused(
      'preparation-stale',
      'preparedAt',
      `the documents were prepared at ${prepared.preparedAt}; a decision is signed within a day of its preparation: prepare the documents again`,
    );
  }
  const signed: SignedDecisionDocuments['documents'] = [];
  let certificatePem: string | null = null;
  for (const { language, body } of prepared.documents) {
    const field = `signatures.${language}`;
    const verified = await verifier.verify(Buffer.from(body, 'utf8'), signatures[language]);
    if (isSignatureProblem(verified)) return refused(verified.code, field, `${field}: ${verified.message}`);
    const iin = iinOfSubjectSerial(verified.identity.subjectSerialNumber);
    if (iin !== prepared.person.iin) {
      return refused(
        'signer-not-official',
        field,
        `${field}: the certificate is ${verified.identity.person}'s${iin ? '' : ' (it names no IIN)'}, not that of ${prepared.person.name} (${prepared.person.id}), who the documents name; an official signs with their own certificate`,
      );
    }
    if (certificatePem !== null && certificatePem !== verified.identity.certificatePem) {
      return refused('signature-invalid', field, `${field}: the two documents are signed with two certificates; sign both with one`);
    }
    certificatePem = verified.identity.certificatePem;
    signed.push({ language, body, signature: signatures[language], certificateFingerprint: verified.identity.fingerprint });
  }
  return {
    person: { id: prepared.person.id, name: prepared.person.name },
    decidedAt: prepared.preparedAt,
    certificatePem: certificatePem!,
    documents: signed,
  };
}

export function isRefusal<T extends object>(value: T | Refusal): value is Refusal {
  return 'code' in value && 'message' in value && 'field' in value;
}
