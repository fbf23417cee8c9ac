/**
 * R10: attestation happens once per academic year — not "one application a year". An application holds the
 * teacher's year while it is open (not yet decided, or reopened by an upheld complaint) or accepted; a refusal
 * or a withdrawal frees the year, and the teacher may file a new application, with an id and a workflow of its
 * own. The store keeps at most one application holding a teacher's year (a unique constraint over the holders),
 * so two submissions that race each other start one case.
 */
import type { Refusal } from './refusals';

/** Whether an application in this state, with this decision, holds its teacher's academic year (R10). */
export function holdsTheYear(application: { state: string; decision: string | null }): boolean {
  if (application.state === 'withdrawn') return false;
  return application.decision !== 'refuse';
}

/**
 * Which of a teacher's applications of the year this one is (1, 2, …): the earlier ones are all closed (each
 * refused or withdrawn), so it is one more than their count. Part of the application's id (infra/identity.ts):
 * two submissions that race compute the same attempt, hence the same workflow id, and Temporal starts one.
 */
export function nextAttempt(earlierApplications: number): number {
  return earlierApplications + 1;
}

/** The refusal of a second application while the year is held (R10). */
export function yearHeldRefusal(academicYear: string, holder: string | null): Refusal {
  const which = holder ? ` (${holder})` : '';
  return {
    code: 'duplicate-application',
    field: 'iin',
    rule: 'R10',
    message: `this teacher already has an application for the academic year ${academicYear}${which} that is under consideration or accepted; attestation happens once per academic year — a new application may be filed after a refusal or a withdrawal`,
  };
}
