/**
 * The transactional outbox: written always inside the transaction of the state change it reports; delivered by
 * the relay (worker/outbox-relay.ts); its dead letters counted and requeued by operators.
 */
import type { Prisma } from '../prisma/generated/client';
import { UUID } from '../domain/case-ids';
import type { Store } from './store';
import { currentTraceparent } from './tracing';

export interface OutboxEntry {
  /** exactly-once key: a second write of the same key is a no-op, and the receiver sees it as Idempotency-Key */
  key: string;
  channel: 'notifier' | 'monitoring';
  payload: Record<string, unknown>;
}

/** The application a message is about, for the index by case (a message about no case has none). */
function caseIdOf(entry: OutboxEntry): string | null {
  const id = entry.payload.applicationId;
  return typeof id === 'string' && UUID.test(id) ? id : null;
}

/**
 * Adds messages in the caller's transaction; a key written before (a retried activity) is left as it is. One
 * `INSERT … ON CONFLICT DO NOTHING`: an upsert with nothing to update costs Prisma a read and a write per message,
 * 2.5 times the CPU (issue 19, docs/performance.md).
 */
export async function enqueue(tx: Prisma.TransactionClient, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  // the span of the activity writing them (issue 36): each delivery continues the case's trace
  const traceparent = currentTraceparent();
  await tx.outboxMessage.createMany({
    data: entries.map((e) => ({ ...e, caseId: caseIdOf(e), payload: e.payload as Prisma.InputJsonObject, traceparent })),
    skipDuplicates: true,
  });
}

/** How many messages wait (pending) and how many the relay gave up on (dead): what /healthz and `cli outbox` show. */
export async function undeliveredCounts(store: Store): Promise<{ pending: number; dead: number }> {
  const rows = await store.outboxMessage.groupBy({ by: ['status'], where: { status: { not: 'delivered' } }, _count: { _all: true } });
  const counts = { pending: 0, dead: 0 };
  // a message handed to a carrier (the gateway) is still on its way: pending until the carrier says delivered
  for (const r of rows) {
    const status = r.status === 'sent' ? 'pending' : r.status;
    if (status in counts) counts[status as keyof typeof counts] += r._count._all;
  }
  return counts;
}

/** When the oldest message still waiting was written (null: none waits): how far behind the relay is. */
export async function oldestPendingAt(store: Store): Promise<Date | null> {
  const oldest = await store.outboxMessage.findFirst({ where: { status: 'pending' }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } });
  return oldest?.createdAt ?? null;
}

/** Puts dead letters back to be tried again from the start (all of them when no keys are given); answers how many. */
export async function requeueDeadLetters(store: Store, keys?: readonly string[]): Promise<number> {
  const { count } = await store.outboxMessage.updateMany({
    where: { status: 'dead', ...(keys && { key: { in: [...keys] } }) },
    data: { status: 'pending', attempts: 0, claimedAt: null },
  });
  return count;
}
