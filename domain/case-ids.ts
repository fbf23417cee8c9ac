/** Workflow ids of a case, from ids that carry no personal data (see client/identity.ts for how those are made). */

export function workflowIdFor(applicationId: string): string {
  return `application-${applicationId}`;
}

/** A complaint's workflow (R13): a child of its application's, named by the complaint's own id. */
export function complaintWorkflowIdFor(complaintId: string): string {
  return `complaint-${complaintId}`;
}
