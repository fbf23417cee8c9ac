/**
 * The one table from a refusal's code to its HTTP status. Every answer of the API that says no — a refusal of
 * the domain's rules and guards (domain/refusals.ts), raised by an update's validator inside a workflow or by
 * the API itself, and the API's own (keys, scopes, unknown ids, idempotency) — takes its status from here.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyReply } from 'fastify';
import { REFUSAL_KINDS, isRefusalCode, type Refusal, type RefusalCode } from '../../domain/refusals';

/** The API's own refusals, besides the domain's. */
export type ApiRefusalCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'body-too-large'
  | 'unsupported-media-type'
  | 'idempotency-key-reused'
  | 'request-in-progress'
  | 'restart-not-allowed'
  | 'rate-limited'
  | 'unavailable'
  | 'undecodable'
  | 'internal';

/** A refusal as the API answers it: `{ error: { code, field, rule, message } }`. */
export type ApiRefusal = Omit<Refusal, 'code'> & { code: RefusalCode | ApiRefusalCode };

const BY_KIND = { form: 400, rule: 422, state: 409, authority: 403 } as const;

/** Code → status: the domain's by the kind of wrong they name, the API's one by one. */
export const REFUSAL_STATUS: Readonly<Record<RefusalCode | ApiRefusalCode, number>> = {
  ...(Object.fromEntries(Object.entries(REFUSAL_KINDS).map(([code, kind]) => [code, BY_KIND[kind]])) as Record<RefusalCode, number>),
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  'body-too-large': 413,
  'unsupported-media-type': 415,
  'idempotency-key-reused': 422,
  'request-in-progress': 409,
  'restart-not-allowed': 409,
  'rate-limited': 429,
  unavailable: 503,
  undecodable: 400,
  internal: 500,
};

/** Answers a refusal with the status its code has in the table. */
export function refuse(reply: FastifyReply, refusal: ApiRefusal) {
  return reply.code(REFUSAL_STATUS[refusal.code]).send({ error: refusal });
}

/**
 * The refusal an update's validator raised inside a workflow (an `ApplicationFailure` typed by the refusal's
 * code, carrying it), or null when the failure is not a refusal.
 */
export function refusalOfFailure(failure: unknown): Refusal | null {
  if (!(failure instanceof ApplicationFailure) || !isRefusalCode(failure.type)) return null;
  const [carried] = (failure.details ?? []) as Array<Partial<Refusal> | undefined>;
  return { code: failure.type, field: carried?.field ?? null, rule: carried?.rule ?? null, message: carried?.message ?? failure.message };
}

/** 400 for a path id that is not a UUID, naming the parameter. */
export function refuseBadId(reply: FastifyReply, field: 'id' | 'cabinetId', what: string) {
  return refuse(reply, { code: 'invalid-field', field, rule: null, message: `${field}: must be ${what} (UUID)` });
}

export { UUID } from '../../domain/case-ids';
