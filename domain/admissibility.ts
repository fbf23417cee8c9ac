/**
 * What makes a registered application one that must be refused (R9), found by rule before any person looks at
 * it: every defect, each with its ground, so the motivated refusal lists them all. A defect is data (a code and
 * its figures); the refusal words it in each language (notices.ts).
 * Ground 1 (unreliable documents) is never automatic: it is the provider's finding.
 */
import type { Submission } from './application';
import { countWords, documentSources, type DocumentKind } from './documents';
import type { RegisterPerson } from './identity';
import type { StandardProfile } from './standards';

export type Defect =
  /** R9 ground 3: no consent to access restricted personal data */
  | { ground: 3; code: 'no-consent' }
  /** R8 item 9, R9 ground 2: the essay's length */
  | { ground: 2; code: 'essay-length'; words: number; min: number; max: number }
  /** R8, R9 ground 2: a document not attached (and, for one the state systems supply, not found there either) */
  | { ground: 2; code: 'missing-document'; document: DocumentKind; notInStateSystems: boolean };

/** What the state information systems hold for the applicant (R8), as the gateway answered. */
export interface StateRecords {
  education: boolean;
  employment: boolean;
  /** the person register's answer (issue 33); absent where the gateway asked no person register */
  person?: RegisterPerson;
}

/**
 * Whether the applicant's state records may be read (Law "On personal data and their protection", art. 8): only
 * with her consent, whatever the standard — the current one makes its absence a ground of refusal (R9 ground 3),
 * the earlier one asks her for the documents the systems would have given (R8 items 2 and 4). The gateway is asked
 * only then. `earlierRule`: a case started before this held (workflows/patches.ts), when the earlier standard read
 * the records regardless.
 */
export function mayReadStateRecords(
  application: Pick<Submission, 'personalDataConsent'>,
  standard: StandardProfile,
  { earlierRule = false } = {},
): boolean {
  return application.personalDataConsent || (earlierRule && !standard.checks.consent);
}

/**
 * Every defect of a registered application, in the order of its standard; empty when it goes to review. The
 * earlier standard had no consent ground and no essay length: its checks are the documents alone, and without
 * consent to read the state records (`null`) the documents they would supply are the applicant's to attach (R8
 * items 2 and 4). Under the current standard no consent is a ground of its own, and those documents are not judged.
 */
export function findDefects(application: Submission, records: StateRecords | null, standard: StandardProfile): Defect[] {
  const defects: Defect[] = [];
  if (standard.checks.consent && !application.personalDataConsent) defects.push({ ground: 3, code: 'no-consent' });
  const words = countWords(application.essay);
  const essay = standard.checks.essayWords;
  if (essay && (words < essay.min || words > essay.max)) defects.push({ ground: 2, code: 'essay-length', words, ...essay });
  const attached = new Set(application.documents.map((d) => d.kind));
  const sources = documentSources(application.category, standard.documentList, application.purpose);
  const held: Partial<Record<DocumentKind, boolean>> = records ? { diploma: records.education, employment: records.employment } : {};
  for (const [kind, source] of Object.entries(sources) as Array<[DocumentKind, string]>) {
    if (attached.has(kind)) continue;
    if (source === 'attached') defects.push({ ground: 2, code: 'missing-document', document: kind, notInStateSystems: false });
    if (source !== 'information-systems') continue;
    if (records && !held[kind]) defects.push({ ground: 2, code: 'missing-document', document: kind, notInStateSystems: true });
    if (!records && !standard.checks.consent) defects.push({ ground: 2, code: 'missing-document', document: kind, notInStateSystems: false });
  }
  return defects;
}
