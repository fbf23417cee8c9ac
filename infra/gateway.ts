/**
 * R8: identity, education and employment data come from the state information systems through the
 * e-government gateway; the applicant attaches them only when the systems lack them. One interface, two
 * adapters: the gateway itself over its own protocol (SmartBridge's synchronous channel, infra/smartbridge/), and
 * a database-backed stand-in for the tests' workers.
 */
import type { StateRecords } from '../domain/admissibility';
import { recordGatewayExchange } from './case-store';
import { readSmartBridgeFile, SmartBridgeGateway } from './smartbridge/gateway';
import type { Store } from './store';

export interface StateRecordsGateway {
  /** What the systems hold of a person (by IIN); `correlationId` chains the case's messages (its workflow id). */
  lookUp(iin: string, context?: { correlationId?: string }): Promise<StateRecords>;
}

/** The stand-in: answers from the `GatewayRecord` table; no row means the systems hold both records. */
export class DatabaseGateway implements StateRecordsGateway {
  constructor(private readonly store: Store) {}

  async lookUp(iin: string): Promise<StateRecords> {
    const row = await this.store.gatewayRecord.findUnique({ where: { iin } });
    return { education: row?.hasEducation ?? true, employment: row?.hasEmployment ?? true };
  }
}

/**
 * The gateway the worker uses: SMARTBRIDGE_FILE configures the e-government gateway (`npm start` points it at the
 * local SmartBridge stand-in); without it, the database stand-in. Each exchange is recorded in the case store.
 */
export function gatewayFromEnvironment(store: Store, env: NodeJS.ProcessEnv = process.env): StateRecordsGateway {
  if (!env.SMARTBRIDGE_FILE) return new DatabaseGateway(store);
  return new SmartBridgeGateway({ ...readSmartBridgeFile(env.SMARTBRIDGE_FILE, env), record: (exchange) => recordGatewayExchange(store, exchange) });
}
