/** Writing to the transactional outbox: always inside the transaction of the state change it reports. */
import type { Prisma } from '../prisma/generated/client';

export interface OutboxEntry {
  /** exactly-once key: a second write of the same key is a no-op, and the receiver sees it as Idempotency-Key */
  key: string;
  channel: 'notifier' | 'monitoring';
  payload: Record<string, unknown>;
}

export async function enqueue(tx: Prisma.TransactionClient, entries: readonly OutboxEntry[]): Promise<void> {
  for (const e of entries) {
    await tx.outboxMessage.upsert({ where: { key: e.key }, update: {}, create: { ...e, payload: e.payload as Prisma.InputJsonObject } });
  }
}
