/**
 * Refusals: every way a door of the service (the HTTP API, an update's validator, the workflow's boundary) says
 * no, as one typed value — a stable code, the field, the rule it breaks, and words for a person. The workflow
 * raises a refusal as an `ApplicationFailure` whose type is the code and whose details carry the refusal; the
 * API maps the code to an HTTP status from one table (client/api/refusals.ts). No one reads a message to learn
 * what it refuses.
 */
import type { z } from 'zod';

/** The codes of refusals by rule or by state, with the kind of wrong each names. */
export const REFUSAL_KINDS = {
  // the request's form: it is not a request of this kind
  'malformed-body': 'form',
  'missing-field': 'form',
  'unknown-field': 'form',
  'invalid-field': 'form',
  // well-formed, but against a rule of the standard in force (R2, R3, R5, R7, R9, R11) or the campaign (R10)
  'against-standard': 'rule',
  'outside-campaign': 'rule',
  // R1: the provider unit named is not one of the registry's providers
  'unknown-provider-unit': 'rule',
  // R1: the caller's role or units do not cover this case, complaint or step (domain/authority.ts)
  'not-entitled': 'authority',
  // issue 31: a decision is signed by the official who takes it, an authorised person of the deciding unit, with
  // their own certificate, over exactly the documents prepared for it
  'official-unknown': 'rule',
  'official-not-authorised': 'authority',
  'signer-not-official': 'authority',
  'signature-invalid': 'rule',
  'certificate-untrusted': 'rule',
  'certificate-expired': 'rule',
  'preparation-stale': 'rule',
  // the case's state does not allow it now
  'duplicate-application': 'state',
  'decision-not-allowed': 'state',
  'withdrawal-not-allowed': 'state',
  'custody-step-not-allowed': 'state',
  'complaint-not-allowed': 'state',
  'complaint-decision-not-allowed': 'state',
} as const;
export type RefusalCode = keyof typeof REFUSAL_KINDS;
export type RefusalKind = (typeof REFUSAL_KINDS)[RefusalCode];

/** A refusal: a stable code, the field it concerns, the rule of SERVICE-STANDARD.md it enforces, and the words. */
export interface Refusal {
  code: RefusalCode;
  field: string | null;
  rule: string | null;
  message: string;
}

/** The `ApplicationFailure` type a refusal travels under from a workflow to its caller: its code. */
export function isRefusalCode(type: unknown): type is RefusalCode {
  return typeof type === 'string' && Object.hasOwn(REFUSAL_KINDS, type);
}

/** A refusal of a request's content: a rule of the standard when it names one, its form otherwise. */
export function refusal(field: string | null, rule: string | null, message: string, code?: RefusalCode): Refusal {
  return { code: code ?? (rule ? 'against-standard' : 'invalid-field'), field, rule, message };
}

/** The first problem zod found, as a refusal naming the field. */
export function describeIssue(error: z.ZodError): Refusal {
  const issue = error.issues[0];
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    // The key is the caller's: shown quoted when it is not a plain name (empty, spaces, control characters)
    // and cut short when long, so the answer always names it and never echoes a megabyte back.
    const raw = issue.keys[0];
    const key = /^[A-Za-z0-9_$-]{1,100}$/.test(raw) ? raw : JSON.stringify(raw.length > 100 ? `${raw.slice(0, 100)}…` : raw);
    const field = path ? `${path}.${key}` : key;
    return { code: 'unknown-field', field, rule: null, message: `${field} is not a field of this request` };
  }
  if (issue.path.length === 0) {
    return { code: 'malformed-body', field: null, rule: null, message: `the body must be a JSON object: ${issue.message}` };
  }
  // An absent field fails whatever check comes first (a type, an enum's values): it is missing, not invalid.
  const missing = issue.code !== 'custom' && issue.input === undefined;
  if (missing) return { code: 'missing-field', field: path, rule: null, message: `${path} is required` };
  // A custom check names the rule it enforces (params.rule): well-formed, but against the standard.
  const rule = issue.code === 'custom' ? ((issue.params as { rule?: string } | undefined)?.rule ?? null) : null;
  return refusal(path, rule, `${path}: ${issue.message}`);
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: Refusal };

/** Parses input against a schema, answering the first problem as a refusal. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const parsed = schema.safeParse(input, { reportInput: true });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: describeIssue(parsed.error) };
}
