/** Issue 33: the messages a case exchanged with the e-government gateway, by the ids both sides log. */
import type { Store } from '../store';

export interface GatewayExchangeRecord {
  messageId: string;
  /** the case's workflow id */
  correlationId: string;
  interaction: string;
  serviceId: string;
  answerMessageId: string | null;
  statusCode: string;
}

/** Records one exchange; a retried activity's new message is a new row, its earlier attempt's stays. */
export async function recordGatewayExchange(store: Pick<Store, 'gatewayExchange'>, exchange: GatewayExchangeRecord): Promise<void> {
  await store.gatewayExchange.upsert({ where: { messageId: exchange.messageId }, create: exchange, update: {} });
}

/** A case's exchanges, oldest first. */
export function gatewayExchangesOf(store: Pick<Store, 'gatewayExchange'>, workflowId: string) {
  return store.gatewayExchange.findMany({ where: { correlationId: workflowId }, orderBy: [{ at: 'asc' }, { messageId: 'asc' }] });
}
