/**
 * Which failures of an activity a retry can cure. A pure classifier: transient failures (a database or a
 * gateway that does not answer, a timeout, a lost connection) are retried with back-off, so a case waits
 * rather than fails; permanent ones (data the database refuses, a broken constraint, a value no retry can
 * change) end the activity as non-retryable, so no case retries forever on bad data, and operators and
 * `cli stuck` see it with a next step.
 */

export type FailureKind = 'transient' | 'permanent';

/**
 * What the e-government gateway answered instead of an answer (issue 33): a fault or a status that is not
 * "processed", by its code, in the service's own words (the gateway's free text may echo the request's data, so it
 * goes no further than the adapter), and whether a retry can cure it.
 */
export class GatewayFault extends Error {
  override name = 'GatewayFault';
  constructor(
    readonly code: string,
    readonly permanent: boolean,
    message: string,
  ) {
    super(message);
  }
}

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

/** An Error, from this realm or another (a library's, a test runner's sandbox), by its shape. */
const isError = (value: unknown): value is Error =>
  typeof value === 'object' && value !== null && typeof (value as Error).name === 'string' && typeof (value as Error).message === 'string';

/** Node's system error codes (ECONNREFUSED, ETIMEDOUT…) along an error's causes: what a lost connection says. */
function systemCode(error: unknown): string | undefined {
  for (
    let e = error as { code?: unknown; cause?: unknown } | null | undefined, i = 0;
    e && typeof e === 'object' && i < 10;
    e = e.cause as typeof e, i++
  ) {
    if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return e.code;
  }
  return undefined;
}

/**
 * What a failure may say beyond the activity that met it (issue 32, the Law on personal data): codes, and the
 * words of an error the service raised itself (a plain Error with our message). A library's message is never
 * passed on: Prisma prints the values of the request it refuses (an IIN, a name), and the message would reach the
 * workflow's history, the stuck listing and the logs.
 */
export function failureSummary(error: unknown): string {
  if (!isError(error)) return 'a failure that is not an Error';
  if (error instanceof GatewayFault) return error.message;
  const state = sqlState(error);
  const prisma = (error as { code?: unknown }).code;
  const codes = [
    typeof prisma === 'string' && /^P\d{4}$/.test(prisma) ? prisma : null,
    state ? `SQLSTATE ${state}` : null,
    systemCode(error) ?? null,
  ].filter(Boolean);
  // our own words: a plain Error that carries no code of a library's
  if (error.name === 'Error' && Object.getPrototypeOf(error)?.constructor?.name === 'Error' && codes.length === 0)
    return error.message.split('\n')[0].slice(0, 500);
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return `${error.name}: the call did not answer in time`;
  return `${error.name}${codes.length ? ` (${codes.join(', ')})` : ''}`;
}

/** Sorts a failure into transient (retry) or permanent (do not), with the reason in codes (failureSummary). */
export function classifyFailure(error: unknown): ClassifiedFailure {
  const message = error instanceof Error ? error.message : String(error);
  const summary = failureSummary(error);
  const state = sqlState(error);
  if (state && state !== RACING_WRITER && PERMANENT_SQLSTATE_CLASSES.includes(state.slice(0, 2))) {
    return { kind: 'permanent', reason: `the database refuses the data: ${summary}` };
  }
  const prisma = (error as { code?: unknown }).code;
  if (typeof prisma === 'string' && PERMANENT_PRISMA_CODES.has(prisma)) {
    return { kind: 'permanent', reason: `the database refuses the request: ${summary}` };
  }
  // A request the store's client cannot even build (a value of the wrong type) is sent again the same.
  if (isError(error) && error.name === 'PrismaClientValidationError') {
    return { kind: 'permanent', reason: `the store refuses the request as malformed: ${summary}` };
  }
  if (error instanceof GatewayFault) return { kind: error.permanent ? 'permanent' : 'transient', reason: summary };
  const refused = /invalid byte sequence|violates (?:not-null|check|foreign key) constraint|value too long for type/i.exec(message);
  if (refused) return { kind: 'permanent', reason: `the database refuses the data: ${refused[0].toLowerCase()} (${summary})` };
  return { kind: 'transient', reason: summary };
}

/** The failure type a permanent failure carries to the workflow, its history and `cli stuck`. */
export const PERMANENT_FAILURE_TYPE = 'PermanentActivityFailure';
