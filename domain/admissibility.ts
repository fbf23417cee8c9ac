/**
 * What makes a registered application one that must be refused (R9), found by rule before any person looks at
 * it: every defect, each with its ground, so the motivated refusal lists them all.
 * Ground 1 (unreliable documents) is never automatic: it is the provider's finding.
 */
import type { Submission } from './application';
import { DOCUMENT_NAMES_RU, ESSAY_WORDS, countWords, documentSources, type DocumentKind } from './documents';
import type { RefusalGround } from './service';

export interface Defect {
  ground: RefusalGround;
  /** R-rule and item of the standard the defect breaks */
  rule: string;
  /** for the refusal document, in Russian */
  text: string;
}

/** What the state information systems hold for the applicant (R8), as the gateway answered. */
export interface StateRecords {
  education: boolean;
  employment: boolean;
}

/** Every defect of a registered application, in the order of the standard; empty when it goes to review. */
export function findDefects(application: Submission, records: StateRecords): Defect[] {
  const defects: Defect[] = [];
  if (!application.personalDataConsent) {
    defects.push({
      ground: 3,
      rule: 'R9 p. 3',
      text: 'нет согласия на доступ к персональным данным ограниченного доступа (статья 8 Закона «О персональных данных и их защите»)',
    });
  }
  const words = countWords(application.essay);
  if (words < ESSAY_WORDS.min || words > ESSAY_WORDS.max) {
    defects.push({
      ground: 2,
      rule: 'R8 p. 9',
      text: `эссе содержит ${words} слов, а должно содержать от ${ESSAY_WORDS.min} до ${ESSAY_WORDS.max}`,
    });
  }
  const attached = new Set(application.documents.map((d) => d.kind));
  const sources = documentSources(application.category);
  const held: Partial<Record<DocumentKind, boolean>> = { diploma: records.education, employment: records.employment };
  for (const [kind, source] of Object.entries(sources) as Array<[DocumentKind, string]>) {
    const missing =
      (source === 'attached' && !attached.has(kind)) ||
      (source === 'information-systems' && !held[kind] && !attached.has(kind));
    if (missing) {
      const why = source === 'information-systems' ? ' (в информационных системах сведений нет)' : '';
      defects.push({ ground: 2, rule: 'R8', text: `не представлен ${DOCUMENT_NAMES_RU[kind]}${why}` });
    }
  }
  return defects;
}
