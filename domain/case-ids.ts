/** Workflow ids of a case, from ids that carry no personal data (see infra/identity.ts for how those are made). */

/** The form of a case's ids (applications, complaints, cabinets): a UUID, lower case. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function workflowIdFor(applicationId: string): string {
  return `application-${applicationId}`;
}

/** A complaint's workflow (R13): a child of its application's, named by the complaint's own id. */
export function complaintWorkflowIdFor(complaintId: string): string {
  return `complaint-${complaintId}`;
}

/** The case a workflow id names: `application-<id>`, `complaint-<id>`. */
export function caseOf(workflowId: string): { applicationId: string | null; complaintId: string | null } {
  if (workflowId.startsWith('application-')) return { applicationId: workflowId.slice('application-'.length), complaintId: null };
  if (workflowId.startsWith('complaint-')) return { applicationId: null, complaintId: workflowId.slice('complaint-'.length) };
  return { applicationId: null, complaintId: null };
}
