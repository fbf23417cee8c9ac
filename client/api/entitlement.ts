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
import type { Refusal } from '../../domain/refusals';
import { ComplaintAddresseeKey, ProviderUnitKey, SubmittedByKey } from '../../domain/search-attributes';
import { recordedParties, recordedReview } from '../../infra/case-store';
import { complaintWorkflowIdFor, workflowIdFor } from '../../infra/identity';
import type { Store } from '../../infra/store';
import { UUID, type ApiRefusal } from './refusals';

export interface CaseParties {
  providerUnit: string;
  /** the API client that submitted it; null only where no submitter was recorded (then only an administrator may act) */
  submittedBy: string | null;
}

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

/** The search attributes a workflow was started with, or null when there is no such workflow. */
async function startAttributes(client: Client, workflowId: string, what: string) {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).typedSearchAttributes;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw new EntitlementUnavailable(what, error);
  }
}

/** The parties of an application, or null for an unknown one (404). */
export async function partiesOf(deps: Deps, applicationId: string): Promise<CaseParties | null> {
  if (!UUID.test(applicationId)) return null;
  const what = `application ${applicationId}`;
  const row = await readable(what, () => recordedParties(deps.store, applicationId));
  if (row) return row;
  // Not recorded yet (its first activity has not run): the facts it was started with.
  const started = await startAttributes(deps.client, workflowIdFor(applicationId), what);
  const providerUnit = started?.get(ProviderUnitKey);
  if (providerUnit === undefined) return null;
  return { providerUnit, submittedBy: started!.get(SubmittedByKey) ?? null };
}

/** The body reviewing a complaint (R13), as fixed when it was filed; null for an unknown complaint (404). */
export async function reviewerOf(deps: Deps, complaintId: string): Promise<ProviderUnit | null> {
  if (!UUID.test(complaintId)) return null;
  const what = `complaint ${complaintId}`;
  const row = await readable(what, () => recordedReview(deps.store, complaintId));
  if (row) return deps.units.reviewerOf(row, row.application.providerUnit);
  const started = await startAttributes(deps.client, complaintWorkflowIdFor(complaintId), what);
  const providerUnit = started?.get(ProviderUnitKey);
  const addressee = started?.get(ComplaintAddresseeKey);
  return providerUnit !== undefined && addressee !== undefined ? deps.units.reviewingBody(providerUnit, addressee as Addressee) : null;
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
