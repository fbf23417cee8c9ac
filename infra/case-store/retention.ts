/**
 * The case store's side of the retention (issue 36; Law on personal data, art. 12): one batch of one kind of record
 * past its period deleted or anonymised. Each batch picks only what is past the cutoff and not yet done (a row
 * anonymised is marked), so a batch run twice — a retried activity, two runs of the schedule — does nothing more.
 * The periods and their bases are the policy's (domain/retention.ts); the cutoff comes with the batch.
 */
import type { RetentionKind } from '../../domain/retention';
import type { Store } from '../store';

export interface RetentionBatch {
  kind: Exclude<RetentionKind, 'temporal-history'>;
  /** records past this instant's period */
  cutoff: Date;
  /** the run's moment, marked on what it anonymises */
  asOf: Date;
  limit: number;
}

/** Each kind's batch: the records it acted on (at most `limit`). */
const BATCHES: Record<RetentionBatch['kind'], (store: Store, batch: RetentionBatch) => Promise<number>> = {
  // The essay in the application as admitted: the rest of it stays for a reopened review until the record goes.
  async essay(store, { cutoff, asOf, limit }) {
    const rows = await store.application.findMany({
      where: { closedAt: { lt: cutoff }, essayErasedAt: null },
      select: { id: true, input: true },
      orderBy: { closedAt: 'asc' },
      take: limit,
    });
    await store.$transaction(
      rows.map((row) =>
        store.application.update({
          where: { id: row.id },
          data: { essayErasedAt: asOf, ...(row.input !== null && { input: JSON.stringify({ ...JSON.parse(row.input), essay: '' }) }) },
        }),
      ),
    );
    return rows.length;
  },

  async 'complaint-text'(store, { cutoff, asOf, limit }) {
    const ids = await store.complaint.findMany({
      where: { textErasedAt: null, application: { closedAt: { lt: cutoff } } },
      select: { id: true },
      take: limit,
    });
    const { count } = await store.complaint.updateMany({
      where: { id: { in: ids.map((c) => c.id) }, textErasedAt: null },
      data: { text: '', restorationReason: null, attachments: [], textErasedAt: asOf },
    });
    return count;
  },

  async document(store, { cutoff, limit }) {
    const ids = await store.notice.findMany({ where: { application: { closedAt: { lt: cutoff } } }, select: { id: true }, take: limit });
    const { count } = await store.notice.deleteMany({ where: { id: { in: ids.map((n) => n.id) } } });
    return count;
  },

  // The person leaves the case: no IIN, name, cabinet link or application as admitted; the stages, dates and the
  // decision stay for monitoring (R12). The year it held is long past, so it holds it no more (the unique index).
  async 'case-record'(store, { cutoff, asOf, limit }) {
    const ids = await store.application.findMany({
      where: { closedAt: { lt: cutoff }, anonymisedAt: null },
      select: { id: true },
      orderBy: { closedAt: 'asc' },
      take: limit,
    });
    const where = { id: { in: ids.map((a) => a.id) }, anonymisedAt: null };
    const [, { count }] = await store.$transaction([
      store.application.updateMany({ where: { ...where, essayErasedAt: null }, data: { essayErasedAt: asOf } }),
      store.application.updateMany({
        where,
        data: { iin: '', fullName: '', registerName: null, cabinetId: null, input: null, holdsYear: null, anonymisedAt: asOf },
      }),
    ]);
    return count;
  },

  async 'access-record'(store, { cutoff, limit }) {
    const ids = await store.caseRead.findMany({ where: { at: { lt: cutoff } }, select: { id: true }, orderBy: { at: 'asc' }, take: limit });
    const { count } = await store.caseRead.deleteMany({ where: { id: { in: ids.map((r) => r.id) } } });
    return count;
  },

  // Delivered only: a message waiting or dead stays until it is delivered or an operator resolves it.
  async 'outbox-message'(store, { cutoff, limit }) {
    const ids = await store.outboxMessage.findMany({
      where: { status: 'delivered', deliveredAt: { lt: cutoff } },
      select: { id: true },
      take: limit,
    });
    const { count } = await store.outboxMessage.deleteMany({ where: { id: { in: ids.map((m) => m.id) } } });
    return count;
  },

  // After it, the key may be used again (docs/integrators.md).
  async 'idempotency-record'(store, { cutoff, limit }) {
    const ids = await store.idempotentRequest.findMany({ where: { createdAt: { lt: cutoff } }, select: { id: true }, take: limit });
    const { count } = await store.idempotentRequest.deleteMany({ where: { id: { in: ids.map((r) => r.id) } } });
    return count;
  },
};

/** Deletes or anonymises one batch of a kind past its period; answers how many records it acted on. */
export function applyRetentionBatch(store: Store, batch: RetentionBatch): Promise<number> {
  return BATCHES[batch.kind](store, batch);
}
