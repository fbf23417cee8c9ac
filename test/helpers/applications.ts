/** Sample applications for tests: valid and complete unless a test says otherwise (devtools/samples.ts, on the suite's clock). */
import type { ApplicationInput, Submission } from '../../domain/application';
import { sampleSubmission as sampleOn } from '../../devtools/samples';
import { academicYearOf, testNow } from './clock';
export { academicYearOf } from './clock';
export { R8_MUST_ATTACH, essayOf, requiredDocuments, sampleIin } from '../../devtools/samples';

/** A sample submission; its academic year the one of its `submittedAt`, or else of the suite's clock (R10). */
export function sampleSubmission(overrides: Partial<Submission> = {}): Submission {
  return sampleOn(overrides, testNow());
}

let counter = 0;
export function sampleInput(submittedAt: string, overrides: Partial<Submission> = {}): ApplicationInput {
  counter += 1;
  return {
    ...sampleSubmission({ academicYear: academicYearOf(submittedAt), ...overrides }),
    applicationId: `00000000-0000-8000-8000-${String(counter).padStart(12, '0')}`,
    submittedAt,
  };
}
