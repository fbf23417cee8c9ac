/**
 * Delivers the transactional outbox: notices to the notifier and stage reports to monitoring (R5, R12).
 * Each message is claimed with FOR UPDATE SKIP LOCKED for a lease, posted with its key as `Idempotency-Key` (a
 * receiver that saw it already ignores it), and marked delivered; a failed delivery stays pending with its error
 * and is tried again with back-off (2^attempts seconds, at most a minute). After `maxAttempts` failures a message
 * is a dead letter: no longer tried, shown to operators (`cli outbox`, `cli stuck`, /healthz for a read key)
 * until they requeue it. Each post is signed with its receiver's shared secret (infra/webhook-signature.ts).
 *
 * Delivery is at least once: a relay killed between a receiver's answer and the mark sends that message again
 * after the lease, under the same key. Several relays (one per worker) never send a message at the same time:
 * a relay stops working through its batch before its lease could run out.
 */
import type { Store } from '../infra/store';
import { SIGNATURE_HEADER, signWebhook, type WebhookSecrets } from '../infra/webhook-signature';
import { SpanKind, currentTraceparent, inSpan } from '../infra/tracing';

export interface OutboxTargets {
  notifier: string;
  monitoring: string;
}

interface Claimed {
  id: string;
  key: string;
  channel: 'notifier' | 'monitoring';
  payload: unknown;
  attempts: number;
  traceparent: string | null;
}

export type OutboxChannel = keyof OutboxTargets;

/**
 * A channel that hands messages to a carrier which delivers them in its own time (the e-government gateway's
 * asynchronous channel, infra/smartbridge/async-channel.ts): a message handed over is `sent`, and delivered only
 * once the carrier says so.
 */
export interface HandOver {
  /** hands the message over; answers its id at the carrier */
  send(key: string, payload: Record<string, unknown>): Promise<string>;
  /** where the carrier says it is */
  state(remoteId: string): Promise<'ON_DELIVERY' | 'DELIVERED' | 'NOT_DELIVERED' | 'DELIVERY_STOPPED'>;
}

export interface RelayOptions {
  intervalMs?: number;
  batch?: number;
  /**
   * each receiver's shared secret: its posts are signed with it (unsigned when absent, development only); during a
   * switch, with the previous one as well (infra/webhook-signature.ts)
   */
  secrets?: Partial<Record<OutboxChannel, string | WebhookSecrets>>;
  /** failed deliveries after which a message is a dead letter (OUTBOX_MAX_ATTEMPTS; DEFAULT_MAX_ATTEMPTS) */
  maxAttempts?: number;
  onError?: (message: string, details: Record<string, unknown>) => void;
  /** R12 (issue 33): channels handed to a carrier instead of posted (the stage reports, through the gateway) */
  handOver?: Partial<Record<OutboxChannel, HandOver>>;
}

/** How long a message handed over waits before the carrier is asked where it is, and between two askings. */
export const HANDED_OVER_POLL_SECONDS = 2;

/**
 * Failed deliveries before a message is a dead letter: with the back-off capped at a minute, about an hour and a
 * half of a receiver refusing or not answering.
 */
export const DEFAULT_MAX_ATTEMPTS = 100;
/** How long a claim keeps other relays off a message. */
export const LEASE_SECONDS = 30;
const POST_TIMEOUT_MS = 10_000;
/** A relay starts no delivery later than this into its lease, so a delivery always ends inside it. */
const LAST_START_MS = LEASE_SECONDS * 1000 - POST_TIMEOUT_MS - 5_000;
/**
 * The columns hold UTC without a zone, as Prisma writes and reads them; `now()` alone would be the session's local
 * time (a server set to Asia/Almaty showed operators times five hours off).
 */
const UTC_NOW = `(now() AT TIME ZONE 'UTC')`;

/**
 * Claims a batch of due messages: pending, and neither under another relay's lease nor waiting out a back-off
 * (a failed delivery's `claimedAt` is set so that its lease ends when the back-off does).
 */
async function claim(store: Store, batch: number): Promise<Claimed[]> {
  return store.$queryRawUnsafe<Claimed[]>(
    `UPDATE "OutboxMessage" SET "claimedAt" = ${UTC_NOW}
       WHERE id IN (
         SELECT id FROM "OutboxMessage"
          WHERE status = 'pending'
            AND ("claimedAt" IS NULL OR "claimedAt" < ${UTC_NOW} - make_interval(secs => $2::double precision))
          ORDER BY "createdAt" LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING id::text, key, channel, payload, attempts, traceparent`,
    batch,
    LEASE_SECONDS,
  );
}

/**
 * After a failed delivery: claimable again once the back-off (2^attempts s, at most a minute) has passed, or a
 * dead letter (`dead`), never claimed again.
 */
async function backOff(store: Store, id: string, attempts: number, lastError: string, dead: boolean): Promise<void> {
  await store.$executeRawUnsafe(
    `UPDATE "OutboxMessage" SET attempts = $2::int, "lastError" = $3::text,
            status = CASE WHEN $5::boolean THEN 'dead' ELSE 'pending' END, "remoteId" = NULL,
            "claimedAt" = ${UTC_NOW} - make_interval(secs => $4::double precision) + make_interval(secs => LEAST(60, power(2, $2::int)))
      WHERE id = $1::uuid`,
    id,
    attempts,
    lastError,
    LEASE_SECONDS,
    dead,
  );
}

/** Raw, as the claim and the back-off are: a third of the CPU of the model's update, once per message (issue 19). */
export async function markDelivered(store: Store, id: string): Promise<void> {
  await store.$executeRawUnsafe(
    `UPDATE "OutboxMessage" SET status = 'delivered', "deliveredAt" = ${UTC_NOW}, attempts = attempts + 1, "lastError" = NULL WHERE id = $1::uuid`,
    id,
  );
}

/** A message the carrier took: not delivered until it says so (asked again after HANDED_OVER_POLL_SECONDS). */
async function markHandedOver(store: Store, id: string, remoteId: string): Promise<void> {
  await store.$executeRawUnsafe(
    `UPDATE "OutboxMessage" SET status = 'sent', "remoteId" = $2::text, attempts = attempts + 1, "lastError" = NULL, "claimedAt" = ${UTC_NOW} WHERE id = $1::uuid`,
    id,
    remoteId,
  );
}

/**
 * Asks the carrier where each message it took is: delivered is delivered; not delivered goes back to be handed over
 * again after the back-off (a dead letter after `maxAttempts`); stopped is a dead letter at once; on its way waits.
 */
export async function settleHandedOver(store: Store, options: RelayOptions = {}): Promise<number> {
  if (!options.handOver || Object.keys(options.handOver).length === 0) return 0;
  const asked = await store.$queryRawUnsafe<Array<Claimed & { remoteId: string }>>(
    `UPDATE "OutboxMessage" SET "claimedAt" = ${UTC_NOW}
       WHERE id IN (
         SELECT id FROM "OutboxMessage"
          WHERE status = 'sent' AND "claimedAt" < ${UTC_NOW} - make_interval(secs => $2::double precision)
          ORDER BY "claimedAt" LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING id::text, key, channel, payload, attempts, traceparent, "remoteId"`,
    options.batch ?? 50,
    HANDED_OVER_POLL_SECONDS,
  );
  let delivered = 0;
  for (const m of asked) {
    const carrier = options.handOver[m.channel];
    if (!carrier) continue;
    try {
      const state = await carrier.state(m.remoteId);
      if (state === 'DELIVERED') {
        await store.$executeRawUnsafe(`UPDATE "OutboxMessage" SET status = 'delivered', "deliveredAt" = ${UTC_NOW} WHERE id = $1::uuid`, m.id);
        delivered++;
      } else if (state !== 'ON_DELIVERY') {
        const dead = state === 'DELIVERY_STOPPED' || m.attempts >= (options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
        const lastError = `the gateway answered ${state} for message ${m.remoteId}`;
        await backOff(store, m.id, m.attempts, lastError, dead);
        options.onError?.(
          dead
            ? 'handed-over delivery failed; a dead letter now, until an operator requeues it'
            : 'handed-over delivery failed; will hand it over again',
          {
            key: m.key,
            channel: m.channel,
            state,
          },
        );
      }
    } catch (error) {
      options.onError?.('could not ask the carrier where a message is; will ask again', {
        key: m.key,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return delivered;
}

export async function deliverDue(store: Store, targets: OutboxTargets, options: RelayOptions = {}): Promise<number> {
  const claimedAt = Date.now();
  const messages = await claim(store, options.batch ?? 50);
  let delivered = 0;
  for (const m of messages) {
    // Late in the lease another relay may claim what is left: leave it to whoever claims it next.
    if (Date.now() - claimedAt > LAST_START_MS) break;
    try {
      const carrier = options.handOver?.[m.channel];
      if (carrier) {
        await markHandedOver(store, m.id, await carrier.send(m.key, { key: m.key, ...(m.payload as object) }));
        continue;
      }
      const body = JSON.stringify({ key: m.key, ...(m.payload as object) });
      const secret = options.secrets?.[m.channel];
      // Issue 36: the delivery's span continues the trace of the state change that wrote the message, and the
      // receiver gets its traceparent to continue it further.
      await inSpan(
        `deliver ${m.channel}`,
        { kind: SpanKind.CLIENT, attributes: { 'outbox.channel': m.channel }, traceparent: m.traceparent },
        async (span) => {
          const traceparent = currentTraceparent();
          const response = await fetch(targets[m.channel], {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'idempotency-key': m.key,
              ...(secret && { [SIGNATURE_HEADER]: signWebhook(secret, body) }),
              ...(traceparent && { traceparent }),
            },
            body,
            // issue 32: a notice goes to its receiver, never where a redirect points
            redirect: 'error',
            signal: AbortSignal.timeout(POST_TIMEOUT_MS),
          });
          span.setAttribute('http.response.status_code', response.status);
          if (!response.ok) throw new Error(`${m.channel} answered ${response.status}`);
        },
      );
      await markDelivered(store, m.id);
      delivered++;
    } catch (error) {
      const lastError = error instanceof Error ? error.message : String(error);
      const attempts = m.attempts + 1;
      const dead = attempts >= (options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
      await backOff(store, m.id, attempts, lastError, dead);
      options.onError?.(dead ? 'outbox delivery failed; a dead letter now, until an operator requeues it' : 'outbox delivery failed; will retry', {
        key: m.key,
        channel: m.channel,
        attempts,
        error: lastError,
      });
    }
  }
  return delivered;
}

/** Runs the relay until `stop()`; resolves `stop()` once the current round has finished. */
export function startOutboxRelay(store: Store, targets: OutboxTargets, options: RelayOptions = {}) {
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      try {
        await deliverDue(store, targets, options);
        await settleHandedOver(store, options);
      } catch (error) {
        options.onError?.('outbox relay round failed', { error: error instanceof Error ? error.message : String(error) });
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.intervalMs ?? 500);
      });
    }
  })();
  return {
    async stop(): Promise<void> {
      running = false;
      wake?.();
      await loop;
    },
  };
}
