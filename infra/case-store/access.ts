/**
 * The record of who read which case's personal data (issue 32; the Law on personal data, art. 8): the API writes
 * one row per case a read shows, before it answers, and operators read them back by case.
 */
import type { Store } from '../store';

export interface CaseReadEntry {
  client: string;
  role: string;
  /** the route, as registered: "GET /applications/:id" */
  route: string;
}

/** Records that `reader` read these applications' cases (a cabinet shows several). */
export async function recordCaseReads(store: Pick<Store, 'caseRead'>, applicationIds: readonly string[], reader: CaseReadEntry): Promise<void> {
  if (applicationIds.length === 0) return;
  await store.caseRead.createMany({ data: applicationIds.map((applicationId) => ({ applicationId, ...reader })) });
}

/** Who read a case, newest first, at most `limit` rows. */
export function caseReads(store: Pick<Store, 'caseRead'>, applicationId: string, limit = 500) {
  return store.caseRead.findMany({
    where: { applicationId },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: limit,
    select: { client: true, role: true, route: true, at: true },
  });
}
