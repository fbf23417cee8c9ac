/**
 * R8: identity, education and employment data come from the state information systems through the
 * e-government gateway; the applicant attaches them only when the systems lack them. One interface, two
 * adapters: the gateway itself (for production) and a database-backed stand-in for machines without it.
 */
import type { StateRecords } from '../domain/admissibility';
import type { Store } from './store';

export interface StateRecordsGateway {
  /** What the systems hold of a person (by IIN). */
  lookUp(iin: string): Promise<StateRecords>;
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
 * The e-government gateway's synchronous channel: one request per register (education, employment), each
 * answered with whether a record exists. The gateway's envelope and message signing are agreed per
 * integration and not public; this adapter posts JSON to a relay that speaks them, configured by GATEWAY_URL.
 */
export class HttpGateway implements StateRecordsGateway {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async lookUp(iin: string): Promise<StateRecords> {
    const [education, employment] = await Promise.all(
      (['education', 'employment'] as const).map(async (register) => {
        const response = await fetch(`${this.baseUrl.replace(/\/$/, '')}/${register}/lookup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
          body: JSON.stringify({ iin }),
          // issue 32: a redirect would carry the token and the IIN to wherever it points
          redirect: 'error',
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) throw new Error(`gateway ${register} look-up answered ${response.status}`);
        return Boolean(((await response.json()) as { found?: unknown }).found);
      }),
    );
    return { education, employment };
  }
}

/** The gateway the worker uses: GATEWAY_URL (+ GATEWAY_TOKEN) selects the real one, else the stand-in. */
export function gatewayFromEnvironment(store: Store): StateRecordsGateway {
  const url = process.env.GATEWAY_URL;
  return url ? new HttpGateway(url, process.env.GATEWAY_TOKEN ?? '') : new DatabaseGateway(store);
}
