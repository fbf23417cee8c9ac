/**
 * Delivers the transactional outbox: notices to the notifier and stage reports to monitoring (R5, R12).
 * Each message is claimed with FOR UPDATE SKIP LOCKED (several workers never send the same one at once), posted
 * with its key as `Idempotency-Key` (a receiver that saw it already ignores it), and marked delivered; a failed
 * delivery stays pending with its error and is tried again with back-off.
 */
import type { Store } from '../activities/store';

export interface OutboxTargets {
  notifier: string;
  monitoring: string;
}

interface Claimed {
  id: string;
  key: string;
  channel: 'notifier' | 'monitoring';
  payload: unknown;
  attempts: number;
}

export interface RelayOptions {
  intervalMs?: number;
  batch?: number;
  onError?: (message: string, details: Record<string, unknown>) => void;
}

/** Claims a batch of due messages: pending, not claimed in the last minute, past their back-off. */
async function claim(store: Store, batch: number): Promise<Claimed[]> {
  return store.$queryRawUnsafe<Claimed[]>(
    `UPDATE "OutboxMessage" SET "claimedAt" = now()
       WHERE id IN (
         SELECT id FROM "OutboxMessage"
          WHERE status = 'pending'
            AND ("claimedAt" IS NULL OR "claimedAt" < now() - make_interval(secs => LEAST(60, power(2, attempts))))
          ORDER BY "createdAt" LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING id::text, key, channel, payload, attempts`,
    batch,
  );
}

export async function deliverDue(store: Store, targets: OutboxTargets, options: RelayOptions = {}): Promise<number> {
  const messages = await claim(store, options.batch ?? 50);
  let delivered = 0;
  for (const m of messages) {
    try {
      const response = await fetch(targets[m.channel], {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': m.key },
        body: JSON.stringify({ key: m.key, ...(m.payload as object) }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`${m.channel} answered ${response.status}`);
      await store.outboxMessage.update({ where: { id: m.id }, data: { status: 'delivered', deliveredAt: new Date(), attempts: { increment: 1 }, lastError: null } });
      delivered++;
    } catch (error) {
      const lastError = error instanceof Error ? error.message : String(error);
      await store.outboxMessage.update({ where: { id: m.id }, data: { attempts: { increment: 1 }, lastError } });
      options.onError?.('outbox delivery failed; will retry', { key: m.key, channel: m.channel, attempts: m.attempts + 1, error: lastError });
    }
  }
  return delivered;
}

/** Runs the relay until `stop()`; resolves `stop()` once the current round has finished. */
export function startOutboxRelay(store: Store, targets: OutboxTargets, options: RelayOptions = {}) {
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      try {
        await deliverDue(store, targets, options);
      } catch (error) {
        options.onError?.('outbox relay round failed', { error: error instanceof Error ? error.message : String(error) });
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.intervalMs ?? 500);
      });
    }
  })();
  return {
    async stop(): Promise<void> {
      running = false;
      wake?.();
      await loop;
    },
  };
}
