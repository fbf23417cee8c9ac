/**
 * Case identity without personal data (R10): the application id is derived from the teacher's IIN and the
 * academic year with a keyed hash, so a second application of the same teacher in the same year gets the same
 * workflow id — and Temporal itself refuses it — while neither id reveals the IIN.
 */
import { createHmac } from 'node:crypto';

function keyedUuid(secret: string, message: string): string {
  const hex = createHmac('sha256', secret).update(message).digest('hex');
  // Shaped as an RFC 9562 UUID, version 8 (custom), variant 10.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export { complaintWorkflowIdFor, workflowIdFor } from '../domain/case-ids';

export function applicationIdFor(iin: string, academicYear: string, secret: string): string {
  return keyedUuid(secret, `${iin}|${academicYear}`);
}

/** The applicant's personal cabinet (R5, R11): the same for all their applications, and no IIN in it. */
export function cabinetIdFor(iin: string, secret: string): string {
  return keyedUuid(secret, `cabinet|${iin}`);
}
