/**
 * Which failures of an activity a retry can cure. A pure classifier: transient failures (a database or a
 * gateway that does not answer, a timeout, a lost connection) are retried with back-off, so a case waits
 * rather than fails; permanent ones (data the database refuses, a broken constraint, a value no retry can
 * change) end the activity as non-retryable, so no case retries forever on bad data, and operators and
 * `cli stuck` see it with a next step.
 */

export type FailureKind = 'transient' | 'permanent';

export interface ClassifiedFailure {
  kind: FailureKind;
  /** why, in words for an operator */
  reason: string;
}

/**
 * PostgreSQL error classes no retry can cure: 22 data exception, 23 integrity constraint, 42 syntax or access
 * rule — except a unique violation (23505), which is a racing writer of the same idempotent row: the retry finds it.
 */
const PERMANENT_SQLSTATE_CLASSES = ['22', '23', '42'];
const RACING_WRITER = '23505';
/**
 * Prisma's known request errors that say the request itself is wrong (a retry sends the same request); not
 * P2002 (unique constraint), which is a racing writer, as above.
 */
const PERMANENT_PRISMA_CODES = new Set(['P2000', 'P2003', 'P2004', 'P2005', 'P2006', 'P2007', 'P2011', 'P2012', 'P2019', 'P2020', 'P2023', 'P2025']);

/** The SQLSTATE of a PostgreSQL error, as pg raises it or as Prisma's driver adapter wraps it. */
function sqlState(error: unknown): string | undefined {
  type Wrapped = { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  const seen: unknown[] = [error];
  for (let i = 0; i < seen.length && i < 10; i++) {
    const e = seen[i] as Wrapped | null | undefined;
    if (!e || typeof e !== 'object') continue;
    for (const code of [e.originalCode, e.code]) {
      if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('P')) return code;
    }
    seen.push(e.cause, e.meta?.driverAdapterError);
  }
  return undefined;
}

/** Sorts a failure into transient (retry) or permanent (do not), with the reason. */
export function classifyFailure(error: unknown): ClassifiedFailure {
  const message = error instanceof Error ? error.message : String(error);
  const state = sqlState(error);
  if (state && state !== RACING_WRITER && PERMANENT_SQLSTATE_CLASSES.includes(state.slice(0, 2))) {
    return { kind: 'permanent', reason: `the database refuses the data (SQLSTATE ${state}): ${message}` };
  }
  const prisma = (error as { code?: unknown }).code;
  if (typeof prisma === 'string' && PERMANENT_PRISMA_CODES.has(prisma)) {
    return { kind: 'permanent', reason: `the database refuses the request (${prisma}): ${message}` };
  }
  if (/invalid byte sequence|violates (?:not-null|check|foreign key) constraint|value too long for type/i.test(message)) {
    return { kind: 'permanent', reason: `the database refuses the data: ${message}` };
  }
  return { kind: 'transient', reason: message };
}

/** The failure type a permanent failure carries to the workflow, its history and `cli stuck`. */
export const PERMANENT_FAILURE_TYPE = 'PermanentActivityFailure';
