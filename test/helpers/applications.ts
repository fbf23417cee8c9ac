/** Sample applications for tests. */
import type { ApplicationInput, Submission } from '../../domain/application';
import { iinCheckDigit } from '../../domain/iin';

/** A valid IIN made from a serial number (check digit computed, skipping serials without one). */
export function sampleIin(serial: number): string {
  for (let s = serial; ; s++) {
    const first11 = `8501014${String(s % 10000).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== undefined) return `${first11}${check}`;
  }
}

export function sampleSubmission(overrides: Partial<Submission> = {}): Submission {
  return {
    iin: sampleIin(1),
    fullName: 'Айгуль Сериккызы Нурланова',
    category: 'moderator',
    channel: 'platform',
    providerUnit: 'Education department of Almaty',
    academicYear: '2026-2027',
    personalDataConsent: true,
    essay: 'Мой педагогический опыт …',
    documents: [],
    ...overrides,
  };
}

let counter = 0;
export function sampleInput(submittedAt: string, overrides: Partial<Submission> = {}): ApplicationInput {
  counter += 1;
  return {
    ...sampleSubmission(overrides),
    applicationId: `00000000-0000-8000-8000-${String(counter).padStart(12, '0')}`,
    submittedAt,
  };
}
