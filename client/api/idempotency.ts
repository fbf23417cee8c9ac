/**
 * Idempotent requests (issue 6): an upstream system that sends the same request twice — a retry after a lost
 * answer — with the same Idempotency-Key (or its own X-Request-Id) gets the first answer again and starts
 * nothing new. The key is the caller's: two clients may use the same string. A key reused with another body is
 * refused (422); one whose first request is still running answers 409, to be retried.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../infra/store';
import type { ApiRefusal } from './refusals';

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** What a request's key found: nothing yet (go on and remember the answer), a replay, or a refusal. */
export type IdempotencyOutcome =
  { kind: 'none' } | { kind: 'first'; id: string } | { kind: 'replay'; status: number; body: unknown } | { kind: 'refused'; refusal: ApiRefusal };

export function requestKey(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'] ?? request.headers['x-request-id'];
  return Array.isArray(header) ? header[0] : header;
}

/** The request as its meaning: the same body with its members in another order is the same request (issue 32). */
const fingerprint = (request: FastifyRequest) =>
  createHash('sha256')
    .update(`${request.method} ${request.url}\n${stringify(request.body ?? null)}`)
    .digest('hex');

/**
 * How long a first request may stay unanswered before its claim is void (issue 32): far past any request's own
 * time (Temporal's start and update calls give up within a minute), so a process that died mid-request does not
 * block its client's key for the whole retention.
 */
export const CLAIM_LEASE_MS = 5 * 60_000;

export async function claim(store: Store, request: FastifyRequest, client: string, now = new Date()): Promise<IdempotencyOutcome> {
  const key = requestKey(request);
  if (key === undefined) return { kind: 'none' };
  if (!KEY_PATTERN.test(key)) {
    return {
      kind: 'refused',
      refusal: { code: 'invalid-field', field: 'Idempotency-Key', rule: null, message: 'Idempotency-Key: must be 1–200 visible ASCII characters' },
    };
  }
  const id = `${client}:${key}`;
  const requestHash = fingerprint(request);
  try {
    await store.idempotentRequest.create({ data: { id, client, requestHash } });
    return { kind: 'first', id };
  } catch (error) {
    if ((error as { code?: string }).code !== 'P2002') throw error;
  }
  const earlier = await store.idempotentRequest.findUnique({ where: { id } });
  if (!earlier) return claim(store, request, client, now); // released meanwhile: try again
  if (earlier.responseStatus === null && now.getTime() - earlier.createdAt.getTime() > CLAIM_LEASE_MS) {
    // Its process never settled it: void the claim (unless another request took it meanwhile) and claim again.
    await store.idempotentRequest.deleteMany({ where: { id, responseStatus: null, createdAt: earlier.createdAt } });
    return claim(store, request, client, now);
  }
  if (earlier.requestHash !== requestHash) {
    return {
      kind: 'refused',
      refusal: {
        code: 'idempotency-key-reused',
        field: 'Idempotency-Key',
        rule: null,
        message: `Idempotency-Key ${key} was used for a different request; use a new key for a new request`,
      },
    };
  }
  if (earlier.responseStatus === null) {
    return {
      kind: 'refused',
      refusal: {
        code: 'request-in-progress',
        field: 'Idempotency-Key',
        rule: null,
        message: `the first request with Idempotency-Key ${key} is still being answered; retry in a moment`,
      },
    };
  }
  return { kind: 'replay', status: earlier.responseStatus, body: earlier.responseBody };
}

/** Keeps a success for replays; after a failure the key is released, so a retry runs again. */
export async function settle(store: Store, id: string, reply: FastifyReply, payload: unknown): Promise<void> {
  if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
    await store.idempotentRequest.update({
      where: { id },
      data: { responseStatus: reply.statusCode, responseBody: JSON.parse(payload), completedAt: new Date() },
    });
  } else {
    await store.idempotentRequest.delete({ where: { id } }).catch(() => undefined);
  }
}
