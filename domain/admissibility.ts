/**
 * What makes a registered application one that must be refused (R9), found by rule before any person looks at
 * it: every defect, each with its ground, so the motivated refusal lists them all.
 * Ground 1 (unreliable documents) is never automatic: it is the provider's finding.
 */
import type { Submission } from './application';
import { DOCUMENT_NAMES_RU, countWords, documentSources, type DocumentKind } from './documents';
import type { RefusalGround } from './service';
import type { StandardProfile } from './standards';

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

/**
 * Every defect of a registered application, in the order of its standard; empty when it goes to review. The
 * earlier standard had no consent ground and no essay length: its checks are the documents alone.
 */
export function findDefects(application: Submission, records: StateRecords, standard: StandardProfile): Defect[] {
  const defects: Defect[] = [];
  if (standard.checks.consent && !application.personalDataConsent) {
    defects.push({
      ground: 3,
      rule: 'R9 p. 3',
      text: 'нет согласия на доступ к персональным данным ограниченного доступа (статья 8 Закона «О персональных данных и их защите»)',
    });
  }
  const words = countWords(application.essay);
  const essay = standard.checks.essayWords;
  if (essay && (words < essay.min || words > essay.max)) {
    defects.push({
      ground: 2,
      rule: 'R8 p. 9',
      text: `эссе содержит ${words} слов, а должно содержать от ${essay.min} до ${essay.max}`,
    });
  }
  const attached = new Set(application.documents.map((d) => d.kind));
  const sources = documentSources(application.category, standard.documentList);
  const held: Partial<Record<DocumentKind, boolean>> = { diploma: records.education, employment: records.employment };
  for (const [kind, source] of Object.entries(sources) as Array<[DocumentKind, string]>) {
    const missing = (source === 'attached' && !attached.has(kind)) || (source === 'information-systems' && !held[kind] && !attached.has(kind));
    if (missing) {
      const why = source === 'information-systems' ? ' (в информационных системах сведений нет)' : '';
      defects.push({ ground: 2, rule: 'R8', text: `не представлен ${DOCUMENT_NAMES_RU[kind]}${why}` });
    }
  }
  return defects;
}
