/**
 * Whose case is it (R1): the facts the API needs to ask domain/authority.ts whether a caller may act on a case or
 * a complaint — the provider unit and the submitting client of an application, the reviewing body of a
 * complaint. They are fixed before the case starts: the submission starts its workflow with them as search
 * attributes (`ProviderUnit`, `SubmittedBy`; a complaint's `ComplaintAddressee`), and the case store keeps them
 * once the case is recorded. So no request waits for a row (issue 29), and a fact that cannot be read refuses:
 * an unknown case is 404, a store or Temporal that does not answer is 503, never "go on unchecked".
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Addressee } from '../../domain/complaint';
import type { ProviderUnit, ProviderUnits } from '../../domain/provider-units';
import { mayReadCase, type CaseParties, type Caller, type ComplaintDeciders } from '../../domain/authority';
import { caseOf } from '../../domain/case-ids';
import type { Refusal } from '../../domain/refusals';
import { ComplaintAddresseeKey, ProviderUnitKey, SubmittedByKey } from '../../domain/search-attributes';
import type { FastifyRequest } from 'fastify';
import { recordCaseReads, recordedParties, recordedReview } from '../../infra/case-store';
import { complaintWorkflowIdFor, workflowIdFor } from '../../infra/identity';
import type { Store } from '../../infra/store';
import { UUID, type ApiRefusal } from './refusals';

export type { CaseParties };

interface Deps {
  client: Client;
  store: Store;
  units: ProviderUnits;
}

/** Thrown when a fact of entitlement cannot be read: the API's error handler answers its refusal (503). */
export class EntitlementUnavailable extends Error {
  readonly refusal: ApiRefusal;
  constructor(what: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`who may act on ${what} cannot be read now: ${reason}`, { cause });
    this.refusal = { code: 'unavailable', field: null, rule: 'R1', message: `who may act on ${what} cannot be read now; try again shortly` };
  }
}

/** Reads one fact, turning any failure into "unreadable" (503). */
async function readable<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new EntitlementUnavailable(what, error);
  }
}

/** How a workflow was started: its search attributes, and its parent's id (a complaint's application); null when there is none. */
async function started(client: Client, workflowId: string, what: string) {
  try {
    const described = await client.workflow.getHandle(workflowId).describe();
    return { attributes: described.typedSearchAttributes, parentId: described.parentExecution?.workflowId ?? null };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw new EntitlementUnavailable(what, error);
  }
}

/** The parties of an application (R1): its unit, its submitter, its complaints' reviewers; null for an unknown one (404). */
export async function partiesOf(deps: Deps, applicationId: string): Promise<CaseParties | null> {
  if (!UUID.test(applicationId)) return null;
  const what = `application ${applicationId}`;
  const row = await readable(what, () => recordedParties(deps.store, applicationId));
  if (row) {
    const reviewers = row.complaints.map((complaint) => deps.units.reviewerOf(complaint, row.providerUnit).id);
    return { providerUnit: row.providerUnit, submittedBy: row.submittedBy, reviewers };
  }
  // Not recorded yet (its first activity has not run): the facts it was started with; no complaint can be filed yet.
  const start = await started(deps.client, workflowIdFor(applicationId), what);
  const providerUnit = start?.attributes.get(ProviderUnitKey);
  if (providerUnit === undefined) return null;
  return { providerUnit, submittedBy: start!.attributes.get(SubmittedByKey) ?? null, reviewers: [] };
}

/** A complaint's reviewing body (R13), as fixed when it was filed, with its case's parties; null for an unknown complaint (404). */
export async function complaintPartiesOf(
  deps: Deps,
  complaintId: string,
): Promise<{ reviewer: ProviderUnit; throughProvider: boolean; parties: CaseParties } | null> {
  if (!UUID.test(complaintId)) return null;
  const what = `complaint ${complaintId}`;
  const row = await readable(what, () => recordedReview(deps.store, complaintId));
  if (row) {
    const reviewer = deps.units.reviewerOf(row, row.application.providerUnit);
    return {
      reviewer,
      throughProvider: row.providerDueAt !== null,
      parties: { providerUnit: row.application.providerUnit, submittedBy: row.application.submittedBy, reviewers: [reviewer.id] },
    };
  }
  const start = await started(deps.client, complaintWorkflowIdFor(complaintId), what);
  const providerUnit = start?.attributes.get(ProviderUnitKey);
  const addressee = start?.attributes.get(ComplaintAddresseeKey);
  if (providerUnit === undefined || addressee === undefined) return null;
  const reviewer = deps.units.reviewingBody(providerUnit, addressee as Addressee);
  // Its application's submitter, from the application it is a child of.
  const applicationId = start!.parentId ? caseOf(start!.parentId).applicationId : null;
  const application = applicationId ? await partiesOf(deps, applicationId) : null;
  return {
    reviewer,
    throughProvider: addressee === 'provider',
    parties: { providerUnit, submittedBy: application?.submittedBy ?? null, reviewers: [reviewer.id] },
  };
}

/** Who decides a complaint (R13, APPK art. 91 §4), as fixed when it was filed; null for an unknown complaint (404). */
export async function decidersOf(deps: Deps, complaintId: string): Promise<ComplaintDeciders | null> {
  const found = await complaintPartiesOf(deps, complaintId);
  return found && { reviewer: found.reviewer, providerUnit: found.parties.providerUnit, throughProvider: found.throughProvider };
}

/**
 * The refusal when the caller may not act: 404 for an unknown case, 403 when `check` refuses the caller on a
 * known one; null to go on. A refusal, not a sent reply: a Fastify reply is thenable, and awaiting one that was
 * sent resolves to nothing.
 */
export function entitlementRefusal<T>(what: string, id: string, facts: T | null, check: (facts: T) => Refusal | null): ApiRefusal | null {
  if (facts === null) return { code: 'not-found', field: 'id', rule: null, message: `no ${what} ${id}` };
  return check(facts);
}

/**
 * The refusal of a read (R1): 404 for an unknown case and for one the caller is no party to, in the same words,
 * so a key learns nothing of cases that are not its business; null to go on.
 */
export function readRefusal(what: string, field: string, id: string, parties: CaseParties | null, caller: Caller): ApiRefusal | null {
  return parties && mayReadCase(caller, parties) ? null : { code: 'not-found', field, rule: null, message: `no ${what} ${id}` };
}

/**
 * Records who read these cases' personal data, through which route (issue 32, the Law on personal data art. 8),
 * before the answer leaves: a read that cannot be recorded is not answered (the error handler's 503).
 */
export async function recordRead(store: Store, request: FastifyRequest, applicationIds: readonly string[]): Promise<void> {
  const caller = request.apiClient!;
  await recordCaseReads(store, applicationIds, { client: caller.client, role: caller.role, route: `${request.method} ${request.routeOptions.url}` });
}
