/**
 * Wire shapes of an application and of the provider's decision: one zod schema each, used by the HTTP API,
 * the CLI and again at the workflow boundary, so every door refuses the same input with the same words.
 */
import { z } from 'zod';
import type { CalendarOverride } from './calendar';
import type { CampaignWindow } from './campaign';
import { DOCUMENT_KINDS, PURPOSES } from './documents';
import { isValidIin } from './iin';
import { CATEGORIES, CHANNELS, REFUSAL_GROUNDS } from './service';
import type { StandardId } from './standards';

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. 2026-11-23T10:00:00+05:00' });

export const SubmissionSchema = z.strictObject({
  iin: z.string().refine(isValidIin, 'must be 12 digits with a valid check digit'),
  fullName: z.string().trim().min(1, 'must not be empty').max(300),
  category: z.enum(CATEGORIES, { error: `must be one of ${CATEGORIES.join(', ')}` }),
  channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }),
  providerUnit: z.string().trim().min(1, 'must not be empty').max(200),
  // R8 item 6: to assign a category, or to confirm the one held (whose certificate and order are then required)
  purpose: z.enum(PURPOSES, { error: `must be one of ${PURPOSES.join(', ')} (assign a category, or confirm the one held)` }),
  academicYear: z
    .string()
    .regex(/^\d{4}-\d{4}$/, 'must look like 2026-2027')
    .refine((y) => Number(y.slice(5)) === Number(y.slice(0, 4)) + 1, 'must be two consecutive years, e.g. 2026-2027'),
  submittedAt: instant.optional(),
  personalDataConsent: z.boolean(),
  essay: z.string().max(20_000),
  documents: z
    .array(
      z.strictObject({
        kind: z.enum(DOCUMENT_KINDS, { error: `must be one of ${DOCUMENT_KINDS.join(', ')}` }),
        fileName: z.string().min(1).max(255),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
      }),
    )
    .max(50),
  // R3 (earlier standard): a State Corporation case's term depends on whether its office is in the provider's locality
  serviceLocality: z.enum(['provider-locality', 'elsewhere'], { error: 'must be provider-locality or elsewhere' }).optional(),
  // R11 (earlier standard): served at home by the State Corporation, on request, for lasting disabilities
  homeVisit: z.boolean().optional(),
});
// Which channels take which categories, and when, depends on the standard in force: standards.ts (R2, R7).
export type Submission = z.infer<typeof SubmissionSchema>;

/** What the workflow receives: the submission with its identity and submission instant fixed by the API. */
export interface ApplicationInput extends Submission {
  applicationId: string;
  submittedAt: string;
  /** the applicant's personal cabinet, a keyed hash of the IIN (no IIN in URLs) */
  cabinetId?: string;
  /** R10: the campaign window the API checked the submission against (the academic year when absent) */
  campaignWindow?: CampaignWindow;
  /** the standard in force at submission, which the case follows to its end (absent: cases older than profiles) */
  standard?: StandardId;
  /** when that standard took effect (null: from the start), as the API admitted the application with it */
  standardSince?: string | null;
  /** R7: the operators' calendar overrides the API admitted an in-person application with (absent: none needed) */
  calendarOverrides?: CalendarOverride[];
  /** R1: the API client that submitted it, which alone may withdraw it (absent: cases from before) */
  submittedBy?: string;
}

export const DecisionSchema = z
  .strictObject({
    decision: z.enum(['accept', 'refuse'], { error: 'must be accept or refuse' }),
    grounds: z
      .array(z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'each ground must be 1, 2 or 3 (R9)' }))
      .min(1)
      .optional(),
    motivation: z.string().trim().min(1).max(5_000).optional(),
    official: z.string().trim().min(1, 'must name the deciding official').max(300),
  })
  .superRefine((d, ctx) => {
    // R9: a refusal is motivated and names its grounds; an acceptance has none.
    if (d.decision === 'refuse' && !d.grounds) {
      ctx.addIssue({
        code: 'custom',
        path: ['grounds'],
        message: `a refusal names its grounds (R9): ${Object.entries(REFUSAL_GROUNDS)
          .map(([k, v]) => `${k} — ${v}`)
          .join('; ')}`,
        params: { rule: 'R9' },
      });
    }
    if (d.decision === 'refuse' && !d.motivation) {
      ctx.addIssue({ code: 'custom', path: ['motivation'], message: 'a refusal is motivated (R5, R9)', params: { rule: 'R9' } });
    }
    if (d.decision === 'accept' && d.grounds) {
      ctx.addIssue({ code: 'custom', path: ['grounds'], message: 'an acceptance has no refusal grounds', params: { rule: 'R9' } });
    }
  });
export type ProviderDecision = z.infer<typeof DecisionSchema>;

/** The applicant's withdrawal of an application before the decision. */
export const WithdrawalSchema = z.strictObject({
  reason: z.string().trim().max(2_000).optional(),
});
export type Withdrawal = z.infer<typeof WithdrawalSchema>;
