/**
 * R5, R14 (earlier standard): the result of a State Corporation case is a paper that travels. The State
 * Corporation issues it against the receipt and an identity document (or a notarised power of attorney), keeps
 * it a month, then returns it to the provider; an applicant who comes later is served within a working day of
 * the State Corporation's request.
 */
import { z } from 'zod';

/** What the State Corporation and the provider report about a result, each in its turn. */
export const CustodyEventSchema = z.discriminatedUnion(
  'event',
  [
    z.strictObject({
      event: z.literal('issued'),
      to: z.enum(['applicant', 'representative'], { error: 'must be applicant or representative' }),
      place: z.enum(['state-corporation', 'home'], { error: 'must be state-corporation or home' }),
      // R5: a representative collects on a notarised power of attorney; its number and date are recorded
      powerOfAttorney: z.string().trim().min(3).max(200).optional(),
      official: z.string().trim().min(1, 'must name the State Corporation employee').max(300),
    }).refine((e) => e.to === 'applicant' || e.powerOfAttorney !== undefined, {
      path: ['powerOfAttorney'],
      message: 'a representative collects the result on a notarised power of attorney: give its number and date (R5)',
      params: { rule: 'R5' },
    }),
    z.strictObject({ event: z.literal('requested'), official: z.string().trim().min(1, 'must name the State Corporation employee').max(300) }),
    z.strictObject({ event: z.literal('sent-again'), official: z.string().trim().min(1, "must name the provider's official").max(300) }),
  ],
  { error: 'event must be issued, requested or sent-again' },
);
export type CustodyEvent = z.infer<typeof CustodyEventSchema>;

/** The steps of a result's way, as reported to monitoring (R12) and recorded in the case store. */
export const CUSTODY_STEPS = [
  'package-handed-over',
  'result-at-state-corporation',
  'result-issued',
  'returned-to-provider',
  'result-requested',
  'resend-overdue',
] as const;
export type CustodyStep = (typeof CUSTODY_STEPS)[number];

/** The order the events come in, for a refusal that says what is expected. */
export const CUSTODY_EVENT_ORDER = 'issued while awaiting collection; requested after the return to the provider; sent-again after a request (R14)';

/** A result kept at the State Corporation, as the case shows it. Times are ISO instants. */
export interface CustodyStatus {
  /** where it is issued: the State Corporation's counter, or the applicant's home (R11) */
  place: 'state-corporation' | 'home';
  atStateCorporationAt: string | null;
  /** R14: when it goes back to the provider if not collected */
  storageEndsAt: string | null;
  issuedAt: string | null;
  issuedTo: 'applicant' | 'representative' | null;
  returnedToProviderAt: string | null;
  requestedAt: string | null;
  /** R14: by when the provider sends it back after a later request */
  resendDueAt: string | null;
}
