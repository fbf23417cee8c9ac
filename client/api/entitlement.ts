/**
 * Whose case is it (R1): the facts the API needs to ask domain/authority.ts whether a caller may act on a case or
 * a complaint — the provider unit and the submitting client of an application, the reviewing body of a
 * complaint. The case store knows them once the case's first activity has run, moments after its start; a
 * request in that moment waits for the row, and past a few seconds the workflow's search attributes tell the
 * unit (the submitter is then unknown, as for a case from before it was recorded).
 */
import type { Client } from '@temporalio/client';
import type { Addressee } from '../../domain/complaint';
import type { ProviderUnit, ProviderUnits } from '../../domain/provider-units';
import type { Refusal } from '../../domain/refusals';
import { ComplaintAddresseeKey, ProviderUnitKey } from '../../domain/search-attributes';
import { complaintWorkflowIdFor, workflowIdFor } from '../../infra/identity';
import type { Store } from '../../infra/store';
import { UUID } from './refusals';

export interface CaseParties {
  providerUnit: string;
  /** the API client that submitted it; null for a case from before this was recorded */
  submittedBy: string | null;
}

interface Deps {
  client: Client;
  store: Store;
  units: ProviderUnits;
}

/** A workflow's provider unit and addressee as it was started, or null when there is no such workflow. */
async function startedWith(client: Client, workflowId: string) {
  try {
    const described = await client.workflow.getHandle(workflowId).describe();
    const providerUnit = described.typedSearchAttributes.get(ProviderUnitKey);
    if (providerUnit === undefined) return null;
    return { providerUnit, addressee: described.typedSearchAttributes.get(ComplaintAddresseeKey) };
  } catch {
    return null;
  }
}

/** How long a request waits for a just-started case's first activity to write its row. */
const ROW_WAIT_MS = 5_000;

/** The parties of an application, or null for an unknown one (the update that follows answers 404). */
export async function partiesOf(deps: Deps, applicationId: string): Promise<CaseParties | null> {
  if (!UUID.test(applicationId)) return null;
  const row = () => deps.store.application.findUnique({ where: { id: applicationId }, select: { providerUnit: true, submittedBy: true } });
  const found = await row();
  if (found) return found;
  const started = await startedWith(deps.client, workflowIdFor(applicationId));
  if (!started) return null;
  for (const deadline = Date.now() + ROW_WAIT_MS; Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const recorded = await row();
    if (recorded) return recorded;
  }
  return { providerUnit: started.providerUnit, submittedBy: null };
}

/** The body reviewing a complaint (R13), as fixed when it was filed; null for an unknown complaint. */
export async function reviewerOf(deps: Deps, complaintId: string): Promise<ProviderUnit | null> {
  if (!UUID.test(complaintId)) return null;
  const row = await deps.store.complaint.findUnique({
    where: { id: complaintId },
    select: { reviewingUnit: true, addressee: true, application: { select: { providerUnit: true } } },
  });
  if (row) return deps.units.reviewerOf(row, row.application.providerUnit);
  const started = await startedWith(deps.client, complaintWorkflowIdFor(complaintId));
  return started?.addressee ? deps.units.reviewingBody(started.providerUnit, started.addressee as Addressee) : null;
}

/**
 * The refusal (403) when `check` refuses the caller on a known case; null to go on (an unknown case goes on to
 * the update, which answers 404 for it). A refusal, not a sent reply: a Fastify reply is thenable, and awaiting
 * one that was sent resolves to nothing.
 */
export function entitlementRefusal<T>(facts: T | null, check: (facts: T) => Refusal | null): Refusal | null {
  return facts === null ? null : check(facts);
}
