/**
 * R10: applications are accepted only within the periods the authorised body sets, once per academic year.
 * The periods are configuration (CAMPAIGN_WINDOWS, JSON), because the body sets them by order each year; by
 * default a year's window is the whole academic year, 1 September to 31 August, in Asia/Almaty.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { ZONE } from './calendar';
import { schemaOnce } from './fields';

export interface CampaignWindow {
  academicYear: string; // "2026-2027"
  opens: string; // ISO instant
  closes: string; // ISO instant, exclusive
  basis: string;
}

export function defaultWindow(academicYear: string): CampaignWindow {
  const first = Number(academicYear.slice(0, 4));
  return {
    academicYear,
    opens: DateTime.fromObject({ year: first, month: 9, day: 1 }, { zone: ZONE }).toISO()!,
    closes: DateTime.fromObject({ year: first + 1, month: 9, day: 1 }, { zone: ZONE }).toISO()!,
    basis: 'default: the academic year (no order configured in CAMPAIGN_WINDOWS)',
  };
}

/** The campaign window of an academic year from the configured list, or the default. */
export function campaignWindow(academicYear: string, configured: readonly CampaignWindow[]): CampaignWindow {
  return configured.find((w) => w.academicYear === academicYear) ?? defaultWindow(academicYear);
}

export function withinWindow(submittedAt: Date, window: CampaignWindow): boolean {
  return submittedAt >= new Date(window.opens) && submittedAt < new Date(window.closes);
}

/** The shape of CAMPAIGN_WINDOWS: a JSON array of windows, each with the order that set it, one per year. */
export const campaignWindowsSchema = schemaOnce(() =>
  z
    .array(
      z
        .strictObject({
          academicYear: z.string().regex(/^\d{4}-\d{4}$/),
          opens: z.iso.datetime({ offset: true }),
          closes: z.iso.datetime({ offset: true }),
          basis: z.string().min(5),
        })
        // closes is exclusive: a window that closes when (or before) it opens takes no application at all
        .refine((w) => Date.parse(w.closes) > Date.parse(w.opens), { message: 'closes must come after opens', path: ['closes'] }),
    )
    .refine((ws) => new Set(ws.map((w) => w.academicYear)).size === ws.length, { message: 'one window per academic year' }),
);

/** Reads CAMPAIGN_WINDOWS, refusing a malformed value with the reason (a start-up error, not a guess). */
export function campaignWindowsFrom(json: string | undefined): CampaignWindow[] {
  if (!json) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('CAMPAIGN_WINDOWS is not JSON: a list of {"academicYear","opens","closes","basis"}');
  }
  const parsed = campaignWindowsSchema().safeParse(value);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new Error(`CAMPAIGN_WINDOWS is not a list of windows: ${issue.message} at ${issue.path.join('.') || 'the list'}`);
  }
  return parsed.data;
}
