/**
 * R8: the documents of an application, per category — which the applicant attaches, which are optional, which
 * the state information systems supply through the e-government gateway, and which the Platform forms itself.
 */
import type { Category } from './service';

/** R8: the documents an applicant may attach (the essay travels as text). */
export const DOCUMENT_KINDS = [
  'diploma',
  'retraining',
  'employment',
  'courses-certificate',
  'category-certificate',
  'professional-achievements',
  'student-achievements',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** What the teacher asks for (002 §1: "присвоение (подтверждение)"): a category assigned, or the one held confirmed. */
export const PURPOSES = ['assign', 'confirm'] as const;
export type Purpose = (typeof PURPOSES)[number];

export type DocumentSource =
  | 'attached' // the applicant must attach it
  | 'optional' // attached if the applicant has one (retraining; a lower category held by one seeking a new one)
  | 'information-systems' // taken through the gateway; attached only when the systems lack it
  | 'platform' // formed on the Platform for moderator and expert
  | 'commission'; // earlier standard: the attestation commission requests it through the information system

const PLATFORM_FORMED: readonly DocumentKind[] = [
  'retraining',
  'courses-certificate',
  'category-certificate',
  'professional-achievements',
  'student-achievements',
];

/**
 * The source of each document for a category under a standard's list (R8: documents 2–8 of the list; the essay
 * is checked apart). The earlier standard asked the applicant only for the diploma, the retraining document and
 * the employment record; the commission requested the rest through the information system itself. R8 item 6 —
 * the certificate and order of the category held — is required of those who hold one: a teacher who asks to
 * confirm a category holds it by definition; one who asks for a category may hold a lower one, or none.
 */
export function documentSources(
  category: Category,
  list: 'current' | 'earlier' = 'current',
  purpose: Purpose = 'assign',
): Record<DocumentKind, DocumentSource> {
  if (list === 'earlier') {
    return {
      diploma: 'information-systems',
      employment: 'information-systems',
      retraining: 'optional',
      'courses-certificate': 'commission',
      'category-certificate': 'commission',
      'professional-achievements': 'commission',
      'student-achievements': 'commission',
    };
  }
  const onPlatform = category === 'moderator' || category === 'expert';
  const source = (kind: DocumentKind, otherwise: DocumentSource): DocumentSource =>
    onPlatform && PLATFORM_FORMED.includes(kind) ? 'platform' : otherwise;
  return {
    diploma: 'information-systems',
    employment: 'information-systems',
    retraining: source('retraining', 'optional'),
    'courses-certificate': source('courses-certificate', 'attached'),
    'category-certificate': source('category-certificate', purpose === 'confirm' ? 'attached' : 'optional'),
    'professional-achievements': source('professional-achievements', 'attached'),
    'student-achievements': source('student-achievements', 'attached'),
  };
}

/** R8 names of the documents, for refusals a person reads. */
export const DOCUMENT_NAMES_RU: Record<DocumentKind, string> = {
  diploma: 'документ об образовании',
  retraining: 'документ о прохождении курсов переподготовки',
  employment: 'документ, подтверждающий трудовую деятельность',
  'courses-certificate': 'сертификат о прохождении курсов повышения квалификации',
  'category-certificate': 'удостоверение и приказ о присвоенной квалификационной категории',
  'professional-achievements': 'документы, подтверждающие профессиональные достижения',
  'student-achievements': 'документы, подтверждающие достижения обучающихся',
};

/** R8 p. 9: the essay is 250–300 words. */
export const ESSAY_WORDS = { min: 250, max: 300 } as const;

/**
 * Built once: the workflow bundle spells `\p{L}` out as a class of some thousand ranges, and a literal inside
 * the callback was compiled anew for every word of every essay — 7% of the workflow thread's CPU (issue 19).
 */
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Counts words as a person counts them in Kazakh or Russian text: runs of characters between spaces that
 * contain a letter or a digit. A hyphenated word ("что-то", "Нур-Султан") is one word; a lone dash or other
 * punctuation is none; numbers count.
 */
export function countWords(text: string): number {
  return text.split(/\s+/u).filter((token) => LETTER_OR_DIGIT.test(token)).length;
}
