/**
 * Wire shapes of an application and of the provider's decision: one zod schema each, used by the HTTP API,
 * the CLI and again at the workflow boundary, so every door refuses the same input with the same words.
 */
import { z } from 'zod';
import { formatInstant, type CalendarOverride } from './calendar';
import type { CampaignWindow } from './campaign';
import { DOCUMENT_KINDS, PURPOSES } from './documents';
import {
  authorisedPersonId,
  bilingual,
  CHECKED,
  distinct,
  line,
  officialSignature,
  schemaOnce,
  submittedAt,
  text,
  type Bilingual,
  type CharacterRule,
} from './fields';
import { isValidIin } from './iin';
import type { SignedDecisionDocuments } from './notices';
import { refusal, type Refusal } from './refusals';
import { CATEGORIES, CHANNELS, REFUSAL_GROUNDS } from './service';
import type { StandardId } from './standards';

/** A submission's form, its texts checked by `characters`. */
function submissionForm(characters: CharacterRule) {
  return z.strictObject({
    // The check digit (the 12th) no JSON Schema can say: the document's pattern gives the form, its words the rest.
    iin: z.string().refine(isValidIin, 'must be 12 digits with a valid check digit').meta({
      pattern: '^[0-9]{12}$',
      description: "the teacher's IIN: 12 digits, the last a check digit of the first 11 (refused with 400 otherwise)",
    }),
    fullName: characters.line(z.string().max(300).trim().min(1, 'must not be empty'), { filled: true }),
    category: z.enum(CATEGORIES, { error: `must be one of ${CATEGORIES.join(', ')}` }),
    channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }),
    providerUnit: characters
      .line(z.string().max(200).trim().min(1, 'must not be empty'), { filled: true })
      .meta({ description: 'R1: the id of a unit that provides the service, from GET /provider-units (422 unknown-provider-unit otherwise)' }),
    // R8 item 6: to assign a category, or to confirm the one held (whose certificate and order are then required)
    purpose: z.enum(PURPOSES, { error: `must be one of ${PURPOSES.join(', ')} (assign a category, or confirm the one held)` }),
    academicYear: z
      .string()
      .regex(/^[0-9]{4}-[0-9]{4}$/, 'must look like 2026-2027')
      .refine((y) => Number(y.slice(5)) === Number(y.slice(0, 4)) + 1, 'must be two consecutive years, e.g. 2026-2027')
      .meta({
        description: 'two consecutive years, e.g. 2026-2027 (refused with 400 otherwise); R10: within the campaign window set for it (422 otherwise)',
      }),
    submittedAt: submittedAt().optional(),
    personalDataConsent: z.boolean(),
    essay: characters.text(z.string().max(20_000)),
    documents: z
      .array(
        z.strictObject({
          kind: z.enum(DOCUMENT_KINDS, { error: `must be one of ${DOCUMENT_KINDS.join(', ')}` }),
          fileName: characters.line(z.string().min(1).max(255)),
          sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
        }),
      )
      .max(50),
    // R3 (earlier standard): a State Corporation case's term depends on whether its office is in the provider's locality
    serviceLocality: z.enum(['provider-locality', 'elsewhere'], { error: 'must be provider-locality or elsewhere' }).optional(),
    // R11 (earlier standard): served at home by the State Corporation, on request, for lasting disabilities
    homeVisit: z.boolean().optional(),
  });
}

/** A submission's form, as every door checks it. */
export const submissionSchema = schemaOnce(() => submissionForm(CHECKED));
// Which channels take which categories, and when, depends on the standard in force: standards.ts (R2, R7).
export type Submission = z.infer<ReturnType<typeof submissionSchema>>;

/** How far a `submittedAt` may run ahead of the clock that receives it: the clocks of the caller and the server. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** How long after the fact an upstream system may relay a submission, unless SUBMISSION_MAX_DELAY says otherwise. */
export const DEFAULT_SUBMISSION_MAX_DELAY_MS = 7 * 24 * 3600_000;

/**
 * A `submittedAt` the service takes from a caller: a few minutes ahead of its clock at most (a date far ahead
 * would park a case on a long timer), and no further back than `maxDelayMs` (a date far back would make a case
 * overdue on arrival and escalate a breach the provider never made). Checked at the API's doors only: it is
 * about the caller's clock, not a rule a workflow replays.
 */
export function submittedAtRefusal(submittedAt: string, now: Date, maxDelayMs: number): Refusal | null {
  const at = Date.parse(submittedAt);
  const earliest = new Date(now.getTime() - maxDelayMs);
  const latest = new Date(now.getTime() + CLOCK_SKEW_MS);
  if (at >= earliest.getTime() && at <= latest.getTime()) return null;
  const days = Math.round((maxDelayMs / 86_400_000) * 100) / 100;
  return refusal(
    'submittedAt',
    null,
    `submittedAt: must lie between ${formatInstant(earliest)} and ${formatInstant(latest)}: no more than ${CLOCK_SKEW_MS / 60_000} minutes ahead of the service's clock, nor more than ${days} day(s) behind it (SUBMISSION_MAX_DELAY)`,
  );
}

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

/** The provider's decision: what is decided, on which grounds, why (in both languages), and by whom. */
const decisionFields = () => ({
  decision: z.enum(['accept', 'refuse'], { error: 'must be accept or refuse' }),
  grounds: distinct(
    z
      .array(z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'each ground must be 1, 2 or 3 (R9)' }))
      .min(1)
      .max(3, 'names at most the three grounds of R9'),
    'ground',
  ).optional(),
  motivation: bilingual(text(z.string().max(5_000).trim().min(1), { filled: true }), 'the motivation').optional(),
  official: line(z.string().max(300).trim().min(1, 'must name the deciding official'), { filled: true }),
});

/** R9: a refusal is motivated and names its grounds; an acceptance has none — on every schema of a decision. */
function withDecisionRules<S extends z.ZodObject<ReturnType<typeof decisionFields>>>(schema: S) {
  return (
    schema
      .superRefine((d, ctx) => {
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
      })
      // The same rule of R9 in the JSON Schema of the OpenAPI document, for a client generated from it.
      .meta({
        if: { properties: { decision: { const: 'refuse' } }, required: ['decision'] },
        then: { properties: { grounds: {}, motivation: {} }, required: ['grounds', 'motivation'] },
        else: { properties: { grounds: false } },
      })
  );
}

/** The decision as the case takes it (the workflow's update checks it with this). */
export const decisionSchema = schemaOnce(() => withDecisionRules(z.strictObject(decisionFields())));

/**
 * Issue 31: the documents of a decision are signed by the official who takes it, with their own certificate. The
 * API prepares them for the decision asked (`official`: the authorised person's id in the registry), and the
 * decision comes back with each language's detached CMS over exactly those bytes.
 */
export const decisionDocumentsSchema = schemaOnce(() =>
  withDecisionRules(
    z.strictObject({
      ...decisionFields(),
      official: authorisedPersonId(),
    }),
  ),
);

export const signedDecisionSchema = schemaOnce(() =>
  withDecisionRules(z.strictObject({ ...decisionDocumentsSchema().shape, ...officialSignature() })),
);
export type SignedDecisionRequest = z.infer<ReturnType<typeof signedDecisionSchema>>;

export type ProviderDecision = z.infer<ReturnType<typeof decisionSchema>>;

/** Who decided a case (R9): the rule itself (an automatic refusal of defects found by rule) or a named official. */
export type DecidedBy = { kind: 'rule' } | { kind: 'official'; name: string };
export const DECIDED_BY_RULE: DecidedBy = { kind: 'rule' };

/** A decision as the case holds it: what was decided, on which grounds, and by whom. */
export interface CaseDecision {
  decision: ProviderDecision['decision'];
  grounds?: ProviderDecision['grounds'];
  /** in each document's language (a decision from before issue 31 holds one text) */
  motivation?: Bilingual | string;
  decidedBy: DecidedBy;
  /** issue 31: the documents the official signed with their own certificate (absent: by rule, or from before) */
  signed?: SignedDecisionDocuments;
}

/**
 * The provider's decision as the case holds it: taken by the official it names — the authorised person who signed
 * its documents (issue 31), or, for a decision from before, the name it gave.
 */
export function officialDecision({ official, ...decision }: ProviderDecision, signed?: SignedDecisionDocuments): CaseDecision {
  return { ...decision, decidedBy: { kind: 'official', name: signed ? signed.person.name : official }, ...(signed && { signed }) };
}

/** The applicant's withdrawal of an application before the decision. */
export const withdrawalSchema = schemaOnce(() =>
  z.strictObject({
    reason: text(z.string().max(2_000).trim()).optional(),
  }),
);
export type Withdrawal = z.infer<ReturnType<typeof withdrawalSchema>>;
