/**
 * R12: the central body's duty to publish each change of the standard to the Unified Contact Centre within three
 * working days of its adoption (domain/standards/publication.ts), carried by the outbox as a notice to the
 * contact centre: recorded once per change whenever the API starts with the schedule (a second start, or a second
 * replica, finds it written), delivered by the relay, and read back here for the stuck listing and the CLI.
 */
import type { PublicationDuty } from '../domain/standards';
import { enqueue } from './outbox';
import { outboxKeys, SCHEDULE_PUBLICATION } from './outbox-keys';
import type { Store } from './store';

/** Records the duties a schedule creates; one already recorded is left as it is (its message may be on its way). */
export async function recordPublicationDuties(store: Store, duties: readonly PublicationDuty[]): Promise<void> {
  await store.$transaction((tx) =>
    enqueue(
      tx,
      duties.map((duty) => ({
        key: outboxKeys.schedulePublication(duty.standard, duty.from),
        channel: 'notifier' as const,
        payload: { to: 'contact-centre', ...duty },
      })),
    ),
  );
}

/** A recorded duty with its delivery: published when its message was delivered, late when after its term. */
export interface PublicationRecord extends PublicationDuty {
  key: string;
  status: string;
  deliveredAt: string | null;
  attempts: number;
  lastError: string | null;
  /** delivered after the term, or undelivered with the term passed */
  late: boolean;
}

/** Every recorded duty, oldest first, as of `now`. */
export async function publicationRecords(store: Store, now: Date = new Date()): Promise<PublicationRecord[]> {
  const rows = await store.outboxMessage.findMany({
    where: { key: { startsWith: `${SCHEDULE_PUBLICATION}:` } },
    orderBy: { createdAt: 'asc' },
    select: { key: true, payload: true, status: true, deliveredAt: true, attempts: true, lastError: true },
  });
  return rows.map((row) => {
    const { to: _to, ...duty } = row.payload as unknown as PublicationDuty & { to: string };
    const due = Date.parse(duty.dueAt);
    return {
      ...duty,
      key: row.key,
      status: row.status,
      deliveredAt: row.deliveredAt?.toISOString() ?? null,
      attempts: row.attempts,
      lastError: row.lastError,
      late: row.deliveredAt ? row.deliveredAt.getTime() > due : now.getTime() > due,
    };
  });
}
