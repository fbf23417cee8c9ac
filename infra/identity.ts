/**
 * Case identity without personal data (R10): the application id is derived from the teacher's IIN, the
 * academic year and which of the teacher's applications of that year it is (domain/academic-year.ts), with a
 * keyed hash: two submissions that race each other get the same workflow id — and Temporal starts one — while
 * no id reveals the IIN.
 */
import { createHmac } from 'node:crypto';

function keyedUuid(secret: string, message: string): string {
  const hex = createHmac('sha256', secret).update(message).digest('hex');
  // Shaped as an RFC 9562 UUID, version 8 (custom), variant 10.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export { complaintWorkflowIdFor, workflowIdFor } from '../domain/case-ids';

/** The first application of a year keeps the id it always had, so cases from before resubmission keep theirs. */
export function applicationIdFor(iin: string, academicYear: string, secret: string, attempt = 1): string {
  return keyedUuid(secret, attempt === 1 ? `${iin}|${academicYear}` : `${iin}|${academicYear}|${attempt}`);
}

/** The applicant's personal cabinet (R5, R11): the same for all their applications, and no IIN in it. */
export function cabinetIdFor(iin: string, secret: string): string {
  return keyedUuid(secret, `cabinet|${iin}`);
}
