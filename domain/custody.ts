/**
 * R5, R14 (earlier standard): the result of a State Corporation case is a paper that travels. The State
 * Corporation issues it against the receipt and an identity document (or a notarised power of attorney), keeps
 * it a month, then returns it to the provider; an applicant who comes later is served within a working day of
 * the State Corporation's request.
 */
import { z } from 'zod';
import { line, schemaOnce } from './fields';
import { parseInput, refusal, type ParseResult } from './refusals';

const official = (who: string) => line(z.string().max(300).trim().min(1, `must name ${who}`), { filled: true });

/** R5: the State Corporation issues the result against an identity document, or a notarised power of attorney. */
export const resultIssueSchema = schemaOnce(() =>
  z
    .strictObject({
      to: z.enum(['applicant', 'representative'], { error: 'must be applicant or representative' }),
      place: z.enum(['state-corporation', 'home'], { error: 'must be state-corporation or home' }),
      // its number and date, recorded
      powerOfAttorney: line(z.string().max(200).trim().min(3), { filled: true }).optional(),
      official: official('the State Corporation employee'),
    })
    .refine((e) => e.to === 'applicant' || e.powerOfAttorney !== undefined, {
      path: ['powerOfAttorney'],
      message: 'a representative collects the result on a notarised power of attorney: give its number and date (R5)',
      params: { rule: 'R5' },
    })
    // The same rule of R5 in the JSON Schema of the OpenAPI document.
    .meta({
      if: { properties: { to: { const: 'representative' } }, required: ['to'] },
      then: { properties: { powerOfAttorney: {} }, required: ['powerOfAttorney'] },
    }),
);
/** R14: the applicant came after the return; the State Corporation asks the provider for the result. */
export const resultRequestSchema = schemaOnce(() => z.strictObject({ official: official('the State Corporation employee') }));
/** R14: the provider sends the result back to the State Corporation. */
export const resultDispatchSchema = schemaOnce(() => z.strictObject({ official: official("the provider's official") }));

/** Each report's body, by its event. */
export const CUSTODY_BODIES = { issued: resultIssueSchema, requested: resultRequestSchema, 'sent-again': resultDispatchSchema } as const;
type Bodies = typeof CUSTODY_BODIES;

/** What the State Corporation and the provider report about a result, each in its turn. */
export type CustodyEvent = { [E in keyof Bodies]: { event: E } & z.infer<ReturnType<Bodies[E]>> }[keyof Bodies];

/** Parses a report: its event names the body it must have. */
export function parseCustodyEvent(input: unknown): ParseResult<CustodyEvent> {
  const { event, ...body } = (typeof input === 'object' && input !== null ? input : {}) as { event?: unknown };
  if (typeof event !== 'string' || !Object.hasOwn(CUSTODY_BODIES, event)) {
    return { ok: false, error: refusal('event', null, 'event: must be issued, requested or sent-again') };
  }
  const parsed = parseInput(CUSTODY_BODIES[event as keyof Bodies]() as z.ZodType<object>, body);
  return parsed.ok ? { ok: true, value: { event, ...parsed.value } as CustodyEvent } : parsed;
}

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

/** A State Corporation case before its result has been anywhere: each round's result starts so. */
export function custodyBeforeResult(place: CustodyStatus['place']): CustodyStatus {
  return {
    place,
    atStateCorporationAt: null,
    storageEndsAt: null,
    issuedAt: null,
    issuedTo: null,
    returnedToProviderAt: null,
    requestedAt: null,
    resendDueAt: null,
  };
}

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
