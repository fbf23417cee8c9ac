/** R8: the e-government gateway's look-ups, as an activity over the gateway adapter given (infra/gateway.ts). */
import type { StateRecords } from '../domain/admissibility';
import type { StateRecordsGateway } from '../infra/gateway';

export function createGatewayActivities({ gateway }: { gateway: StateRecordsGateway }) {
  return {
    /** R8: what the state information systems hold of the applicant, through the e-government gateway. */
    async lookUpStateRecords({ iin }: { iin: string }): Promise<StateRecords> {
      return gateway.lookUp(iin);
    },
  };
}

export type GatewayActivities = ReturnType<typeof createGatewayActivities>;
