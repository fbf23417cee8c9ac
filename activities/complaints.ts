/** A complaint's activities (R13): its records in the case store (infra/case-store/complaints.ts). */
import type { ProviderUnits } from '../domain/provider-units';
import { complaintRecords } from '../infra/case-store';
import type { Store } from '../infra/store';

export type { ComplaintDecisionRecord, ComplaintStageRecord } from '../infra/case-store';

export function createComplaintActivities(deps: { store: Store; units: ProviderUnits }) {
  return complaintRecords(deps);
}

export type ComplaintActivities = ReturnType<typeof createComplaintActivities>;
