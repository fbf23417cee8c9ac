/**
 * Operator calendar overrides as stored (issue 3), read the same way by the activity and the CLI; and changed
 * only here (issue 35): each addition, correction and removal is kept with who made it and why, in the same
 * transaction as the change, so the history never misses one.
 */
import type { CalendarOverride } from '../domain/calendar';
import type { Store } from './store';

export async function readCalendarOverrides(store: Store): Promise<CalendarOverride[]> {
  const rows = await store.calendarOverride.findMany({ orderBy: { date: 'asc' } });
  return rows.map((r) => ({ date: r.date, kind: r.kind as CalendarOverride['kind'], basis: r.basis, note: r.note }));
}

/** Who changes an override, and why (kept with the change). */
export interface OverrideAuthor {
  by: string;
  why: string;
}

/** Why a change of an override could not be made, in words for the operator. */
export class OverrideRefused extends Error {
  override name = 'OverrideRefused';
}

type Stored = { date: string; kind: string; basis: string; note: string | null; addedBy: string; addedAt: Date };
const snapshot = (o: Stored) => ({ kind: o.kind, basis: o.basis, note: o.note, addedBy: o.addedBy, addedAt: o.addedAt.toISOString() });

/** Adds an override for a date that has none. */
export async function addCalendarOverride(store: Store, override: CalendarOverride, { by, why }: OverrideAuthor): Promise<void> {
  await store.$transaction(async (tx) => {
    if (await tx.calendarOverride.findUnique({ where: { date: override.date } })) {
      throw new OverrideRefused(`${override.date} already has an override; correct it (calendar correct-override) or remove it first`);
    }
    await tx.calendarOverride.create({ data: { date: override.date, kind: override.kind, basis: override.basis, note: override.note, addedBy: by } });
    await tx.calendarOverrideChange.create({
      data: { date: override.date, action: 'added', kind: override.kind, basis: override.basis, note: override.note, by, why },
    });
  });
}

/** Corrects a date's override: its kind, basis or note; what it was is kept. */
export async function correctCalendarOverride(
  store: Store,
  date: string,
  change: Partial<Pick<CalendarOverride, 'kind' | 'basis' | 'note'>>,
  { by, why }: OverrideAuthor,
): Promise<CalendarOverride> {
  return store.$transaction(async (tx) => {
    const before = await tx.calendarOverride.findUnique({ where: { date } });
    if (!before) throw new OverrideRefused(`${date} has no override to correct`);
    const after = await tx.calendarOverride.update({ where: { date }, data: change });
    await tx.calendarOverrideChange.create({
      data: { date, action: 'corrected', kind: after.kind, basis: after.basis, note: after.note, previous: snapshot(before), by, why },
    });
    return { date, kind: after.kind as CalendarOverride['kind'], basis: after.basis, note: after.note };
  });
}

/** Removes a date's override: the day is again as the shipped calendar has it; what it was is kept. */
export async function removeCalendarOverride(store: Store, date: string, { by, why }: OverrideAuthor): Promise<void> {
  await store.$transaction(async (tx) => {
    const before = await tx.calendarOverride.findUnique({ where: { date } });
    if (!before) throw new OverrideRefused(`${date} has no override to remove`);
    await tx.calendarOverride.delete({ where: { date } });
    await tx.calendarOverrideChange.create({ data: { date, action: 'removed', previous: snapshot(before), by, why } });
  });
}

/** The changes of the overrides, oldest first (of one date when given). */
export async function calendarOverrideHistory(store: Store, date?: string) {
  return store.calendarOverrideChange.findMany({ where: date ? { date } : {}, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
}
