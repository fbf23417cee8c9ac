/** Which standard is in force when: the schedule a submission is pinned by (STANDARD_SCHEDULE replaces it). */
import { z } from 'zod';
import { STANDARD_IDS, type StandardId } from './profiles';

/** One entry of the schedule: a standard applies to applications submitted from `from` (null: from the start). */
export interface StandardInForce {
  standard: StandardId;
  from: string | null;
  basis: string;
  /**
   * R12: when the order setting this entry was adopted; from then the central body has three working days to
   * publish the change to the contact centre (publication.ts). Absent: no duty is tracked (an entry from before).
   */
  adopted?: string;
}

/**
 * The shipped schedule. The seeds do not say when the current standard replaced the earlier one: the date
 * below is a placeholder to check against the order, and STANDARD_SCHEDULE replaces the whole schedule.
 */
export const SHIPPED_SCHEDULE: readonly StandardInForce[] = [
  { standard: 'standard-1', from: null, basis: 'seed 003 (the earlier standard)' },
  {
    standard: 'standard-2',
    from: '2024-01-01T00:00:00+06:00', // Almaty was on UTC+6 until March 2024
    basis: 'seeds 000, 002 (the current standard); date of entry into force not in the seeds, to be checked against the order',
  },
];

const ScheduleSchema = z
  .array(
    z.strictObject({
      standard: z.enum(STANDARD_IDS, { error: `must be one of ${STANDARD_IDS.join(', ')}` }),
      from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone' }).nullable(),
      basis: z.string().trim().min(5, 'must name the order that set it'),
      adopted: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone' }).optional(),
    }),
  )
  .min(1)
  .superRefine((entries, ctx) => {
    if (entries[0].from !== null) ctx.addIssue({ code: 'custom', path: [0, 'from'], message: 'the first standard applies from the start (null)' });
    if (entries[0].adopted)
      ctx.addIssue({ code: 'custom', path: [0, 'adopted'], message: 'the first standard is no change: it has nothing to publish' });
    for (let i = 1; i < entries.length; i++) {
      const [before, at] = [entries[i - 1].from, entries[i].from];
      if (at === null || (before !== null && Date.parse(at) <= Date.parse(before))) {
        ctx.addIssue({ code: 'custom', path: [i, 'from'], message: 'each later standard applies from a later instant' });
      }
    }
  });

/** Reads STANDARD_SCHEDULE (JSON), refusing a malformed one at start-up with the reason. */
export function scheduleFrom(json: string | undefined): readonly StandardInForce[] {
  if (!json) return SHIPPED_SCHEDULE;
  const parsed = ScheduleSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`STANDARD_SCHEDULE: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** The standard in force at an instant, with the instant it took effect (null: from the start). */
export function standardInForce(at: Date, schedule: readonly StandardInForce[] = SHIPPED_SCHEDULE): StandardInForce {
  let current = schedule[0];
  for (const entry of schedule) if (entry.from === null || Date.parse(entry.from) <= at.getTime()) current = entry;
  return current;
}
