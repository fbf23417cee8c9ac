/**
 * Signed webhooks (issue 16): every notice and stage report the outbox relay posts carries
 * `X-Attestation-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under a secret shared with
 * that receiver alone, so a receiver tells a real notice from a forged one, and (by the time in it) from an old
 * one sent again by someone else. `webhookSignatureProblem` is what a receiver runs; the local receiver runs it too.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-attestation-signature';
/** How old a signature a receiver takes by default: the relay's retries re-sign, so five minutes is ample. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function mac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header's value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
}

/** Why a webhook's signature is not good, or null when it is. */
export function webhookSignatureProblem(
  secret: string,
  header: string | undefined,
  body: string,
  now = Math.floor(Date.now() / 1000),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): string | null {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return `${SIGNATURE_HEADER} is missing or not of the form t=<seconds>,v1=<hex>`;
  const timestamp = Number(match[1]);
  if (Math.abs(now - timestamp) > toleranceSeconds) return `the signature is ${now - timestamp} s old; at most ${toleranceSeconds} s is taken`;
  const expected = Buffer.from(mac(secret, timestamp, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex')) ? null : 'the signature does not match the body under the shared secret';
}
