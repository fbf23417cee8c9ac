/** Operator calendar overrides as stored (issue 3), read the same way by the activity and the CLI. */
import type { CalendarOverride } from '../domain/calendar';
import type { Store } from './store';

export async function readCalendarOverrides(store: Store): Promise<CalendarOverride[]> {
  const rows = await store.calendarOverride.findMany({ orderBy: { date: 'asc' } });
  return rows.map((r) => ({ date: r.date, kind: r.kind as CalendarOverride['kind'], basis: r.basis, note: r.note }));
}
