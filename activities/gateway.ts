/** R8: the e-government gateway's look-ups, as an activity over the gateway adapter given (infra/gateway.ts). */
import { Context } from '@temporalio/activity';
import type { StateRecords } from '../domain/admissibility';
import type { StateRecordsGateway } from '../infra/gateway';

export function createGatewayActivities({ gateway }: { gateway: StateRecordsGateway }) {
  return {
    /** R8: what the state information systems hold of the applicant, through the e-government gateway. */
    async lookUpStateRecords({ iin }: { iin: string }): Promise<StateRecords> {
      // the case's workflow chains its messages at the gateway (issue 33): one correlationId per case
      return gateway.lookUp(iin, { correlationId: Context.current().info.workflowExecution?.workflowId });
    },
  };
}

export type GatewayActivities = ReturnType<typeof createGatewayActivities>;
