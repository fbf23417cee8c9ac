/**
 * Signing certificates before they expire (issue 35): a worker whose certificate has expired refuses to start
 * (infra/signer.ts assertCurrent), so the operator is told well before — a metric per certificate, a warning in
 * `/healthz` and in the worker's log — while there is time to configure the next certificate beside the current one
 * (SIGNERS_FILE `next`, which signs from its notBefore on).
 */
import type { SignerIdentity } from './signer';

/** A configured certificate: whose, whether it signs now or takes over later, and its validity. */
export interface SigningCertificateInUse extends SignerIdentity {
  unit: string;
  slot: 'current' | 'next';
}

/** How many days before a unit's last certificate expires the warning starts, unless configured. */
export const DEFAULT_CERTIFICATE_WARNING_DAYS = 30;

/** SIGNING_CERTIFICATE_WARNING_DAYS: a whole number of days, 30 by default. */
export function certificateWarningDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SIGNING_CERTIFICATE_WARNING_DAYS;
  if (raw === undefined || raw === '') return DEFAULT_CERTIFICATE_WARNING_DAYS;
  if (!/^\d{1,4}$/.test(raw)) throw new Error(`SIGNING_CERTIFICATE_WARNING_DAYS must be a whole number of days, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** Days from `now` to a certificate's end, rounded down (negative once it has ended). */
export function daysLeft(certificate: Pick<SignerIdentity, 'notAfter'>, now: Date): number {
  return Math.floor((certificate.notAfter.getTime() - now.getTime()) / 86_400_000);
}

/**
 * The warnings for units whose signing ends within `warningDays`: each unit's last certificate (its next one when
 * configured) is the one that counts — a unit whose next certificate is in place is not warned about the current.
 */
export function certificateWarnings(certificates: readonly SigningCertificateInUse[], now: Date, warningDays: number): string[] {
  const lastOf = new Map<string, SigningCertificateInUse>();
  for (const c of certificates) {
    const known = lastOf.get(c.unit);
    if (!known || c.notAfter > known.notAfter) lastOf.set(c.unit, c);
  }
  return [...lastOf.values()]
    .filter((c) => daysLeft(c, now) < warningDays)
    .sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime())
    .map(
      (c) =>
        `the signing certificate of ${c.unit} (${c.person}, ${c.fingerprint.slice(0, 16)}…) expires ${c.notAfter.toISOString()}, in ${daysLeft(c, now)} day(s): configure the next one beside it (SIGNERS_FILE "next"), or the worker will not start after that`,
    );
}
