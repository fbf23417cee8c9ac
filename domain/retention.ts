/**
 * How long each kind of record is kept, and on what basis (issue 36; the Law on personal data, art. 12: no longer
 * than its purpose needs). The periods are data an operator replaces without a release (domain/retention-policy.json,
 * or RETENTION_POLICY_FILE: infra/retention-policy.ts); this module checks them and answers, for a moment, the
 * cutoff before which each kind is past its period. The daily retention workflow (workflows/retention.ts) asks the
 * case store to delete or anonymise what is past it. Pure: no I/O.
 */
import { DateTime, Duration } from 'luxon';
import { z } from 'zod';

/** What each kind is, what its period runs from, and what becomes of it past the period. */
export const RETENTION_KINDS = {
  essay: { from: 'the case closed', action: 'anonymise', what: "the applicant's essay in the application as admitted" },
  'complaint-text': {
    from: 'its case closed',
    action: 'anonymise',
    what: "a complaint's text, its reasons for restoring a missed period and its attachments' names",
  },
  document: { from: 'the case closed', action: 'delete', what: 'the signed documents in the personal cabinet' },
  'case-record': {
    from: 'the case closed',
    action: 'anonymise',
    what: "the applicant's IIN, name, cabinet link and application as admitted (the case's stages and dates stay)",
  },
  'access-record': { from: 'the read', action: 'delete', what: 'who read a case, and when' },
  'outbox-message': { from: 'its delivery', action: 'delete', what: 'a delivered notice or stage report' },
  'idempotency-record': { from: 'the request', action: 'delete', what: "an API request's answer kept for replays" },
  'temporal-history': {
    from: 'the workflow closed',
    action: 'delete',
    what: "a closed workflow's history, deleted by Temporal itself (the namespace's retention)",
  },
} as const;
export type RetentionKind = keyof typeof RETENTION_KINDS;
export const RETENTION_KIND_NAMES = Object.keys(RETENTION_KINDS) as RetentionKind[];

/** The kinds the case store acts on; Temporal deletes its histories itself. */
export const STORE_RETENTION_KINDS = RETENTION_KIND_NAMES.filter((k) => k !== 'temporal-history');

const whole = z.number().int().positive();
const Keep = z.union([z.strictObject({ days: whole }), z.strictObject({ months: whole }), z.strictObject({ years: whole })]);
export type RetentionPeriod = z.infer<typeof Keep>;

const Rule = z.strictObject({ keep: Keep, basis: z.string().trim().min(20, 'must name the law or the order the period rests on') });
export type RetentionRule = z.infer<typeof Rule>;
export type RetentionPolicy = Record<RetentionKind, RetentionRule>;

const Policy = z.strictObject(Object.fromEntries(RETENTION_KIND_NAMES.map((k) => [k, Rule])) as Record<RetentionKind, typeof Rule>);

/** The instant before which a record whose period runs from it is past the period, at `asOf`. */
export function retentionCutoff(keep: RetentionPeriod, asOf: Date): Date {
  return DateTime.fromJSDate(asOf, { zone: 'utc' }).minus(Duration.fromObject(keep)).toJSDate();
}

/** Whether `a` keeps a record at least as long as `b` does (compared at one moment, so months and years count right). */
const keepsAtLeast = (a: RetentionPeriod, b: RetentionPeriod): boolean => {
  const at = new Date(Date.UTC(2000, 0, 1));
  return retentionCutoff(a, at) <= retentionCutoff(b, at);
};

/**
 * Anonymising a case's record erases its application as admitted (the essay within) and hides its documents from
 * the cabinet, and it ends with the case: so the record is kept at least as long as the documents, the essay and the
 * complaints' texts. A policy that says otherwise would cut one kind's period short by another's.
 */
const RECORD_OUTLIVES: RetentionKind[] = ['document', 'essay', 'complaint-text'];

export const RetentionPolicy = {
  /** Checks a policy (the shipped file, or an operator's); throws naming the kind and the problem. */
  parse(raw: unknown, source: string): RetentionPolicy {
    const parsed = Policy.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(the file)'}: ${i.message}`);
      throw new Error(`retention policy ${source} is not valid: ${problems.join('; ')}`);
    }
    const policy = parsed.data as RetentionPolicy;
    for (const kind of RECORD_OUTLIVES) {
      if (!keepsAtLeast(policy['case-record'].keep, policy[kind].keep)) {
        throw new Error(
          `retention policy ${source} is not valid: case-record.keep must be at least ${kind}.keep (anonymising the case ends its ${kind})`,
        );
      }
    }
    return policy;
  },
};

/** A period's length (months of 30 days, years of 365: Temporal's namespace retention takes a duration). */
export function periodMs(keep: RetentionPeriod): number {
  return Duration.fromObject(keep).as('milliseconds');
}

/** A period in words, for reports and the CLI: "5 years", "90 days". */
export function periodInWords(keep: RetentionPeriod): string {
  const [unit, n] = Object.entries(keep)[0] as [string, number];
  return `${n} ${n === 1 ? unit.slice(0, -1) : unit}`;
}

/** What one run of the retention did to one kind. */
export interface RetentionReport {
  kind: RetentionKind;
  keep: string;
  /** records past this instant's period were acted on */
  cutoff: string;
  action: 'delete' | 'anonymise';
  count: number;
}
