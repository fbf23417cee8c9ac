/**
 * Signed webhooks (issue 16): every notice and stage report the outbox relay posts carries
 * `X-Attestation-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under a secret shared with
 * that receiver alone, so a receiver tells a real notice from a forged one, and (by the time in it) from an old
 * one sent again by someone else. `webhookSignatureProblem` is what a receiver runs; the local receiver runs it too.
 *
 * A switch of secret without refused deliveries (issue 35): while it lasts the relay signs each post with the new
 * secret and the previous one (`t=…,v1=<new>,v1=<previous>`), so a receiver still on the previous secret verifies
 * one and a receiver on the new one the other; a receiver may hold both secrets while it switches. A signature
 * is good when any `v1` verifies under any secret the receiver holds.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-attestation-signature';
/** How old a signature a receiver takes by default: the relay's retries re-sign, so five minutes is ample. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function mac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** A channel's secrets as the sender holds them: the current one, and the previous one while a switch lasts. */
export interface WebhookSecrets {
  current: string;
  previous?: string;
}

/** The header's value for a body sent at `timestamp` (unix seconds): one `v1` per secret, the current first. */
export function signWebhook(secrets: string | WebhookSecrets, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const { current, previous } = typeof secrets === 'string' ? { current: secrets } : secrets;
  const macs = [current, ...(previous && previous !== current ? [previous] : [])].map((secret) => `v1=${mac(secret, timestamp, body)}`);
  return `t=${timestamp},${macs.join(',')}`;
}

/** Why a webhook's signature is not good under any of the receiver's secrets, or null when it is. */
export function webhookSignatureProblem(
  secrets: string | readonly string[],
  header: string | undefined,
  body: string,
  now = Math.floor(Date.now() / 1000),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): string | null {
  const match = /^t=(\d{1,12})((?:,v1=[0-9a-f]{64}){1,4})$/.exec(header ?? '');
  if (!match) return `${SIGNATURE_HEADER} is missing or not of the form t=<seconds>,v1=<hex>[,v1=<hex>]`;
  const timestamp = Number(match[1]);
  if (Math.abs(now - timestamp) > toleranceSeconds) return `the signature is ${now - timestamp} s old; at most ${toleranceSeconds} s is taken`;
  const given = match[2]
    .slice(1)
    .split(',')
    .map((part) => Buffer.from(part.slice('v1='.length), 'hex'));
  const held = (typeof secrets === 'string' ? [secrets] : secrets).map((secret) => Buffer.from(mac(secret, timestamp, body), 'hex'));
  const verifies = held.some((expected) => given.some((signature) => timingSafeEqual(expected, signature)));
  return verifies ? null : 'the signature does not match the body under the shared secret';
}

/**
 * Each receiver's secrets from the environment: `NOTIFIER_WEBHOOK_SECRET`, `MONITORING_WEBHOOK_SECRET` (the current
 * ones), and while a switch lasts `NOTIFIER_WEBHOOK_PREVIOUS_SECRET`, `MONITORING_WEBHOOK_PREVIOUS_SECRET`.
 */
export function webhookSecretsFromEnvironment(env: NodeJS.ProcessEnv): Partial<Record<'notifier' | 'monitoring', WebhookSecrets>> {
  const of = (current: string | undefined, previous: string | undefined) => current && { current, ...(previous && { previous }) };
  const notifier = of(env.NOTIFIER_WEBHOOK_SECRET, env.NOTIFIER_WEBHOOK_PREVIOUS_SECRET);
  const monitoring = of(env.MONITORING_WEBHOOK_SECRET, env.MONITORING_WEBHOOK_PREVIOUS_SECRET);
  return { ...(notifier && { notifier }), ...(monitoring && { monitoring }) };
}
