/**
 * The worker's report of its signing certificates (issue 35): a gauge per certificate with the days it has left,
 * `attestation_signing_certificate_days_left{unit, slot}` on the worker's Prometheus endpoint, and a warning line
 * in the log for each unit whose signing ends within SIGNING_CERTIFICATE_WARNING_DAYS — at start and every hour.
 */
import { Runtime } from '@temporalio/worker';
import { certificateWarningDays, certificateWarnings, daysLeft, type SigningCertificateInUse } from '../infra/certificate-expiry';

const HOUR_MS = 3_600_000;

/** Reports now and every hour until stopped; `certificates` is read each time (a next one configured is seen). */
export function reportSigningCertificates(
  certificates: () => SigningCertificateInUse[],
  { now = () => new Date(), warningDays = certificateWarningDays(), log = (line: string) => console.error(line) } = {},
): { stop(): void } {
  const gauge = Runtime.instance().metricMeter.createGauge(
    'attestation_signing_certificate_days_left',
    'int',
    'days',
    'days until a signing certificate expires, by unit and slot (current, or the next one configured beside it)',
  );
  const report = () => {
    try {
      const configured = certificates();
      for (const c of configured) gauge.set(Math.max(daysLeft(c, now()), 0), { unit: c.unit, slot: c.slot });
      for (const warning of certificateWarnings(configured, now(), warningDays)) log(JSON.stringify({ level: 'warn', message: warning }));
    } catch (error) {
      log(JSON.stringify({ level: 'warn', message: `could not read the signing certificates: ${(error as Error).message}` }));
    }
  };
  report();
  const timer = setInterval(report, HOUR_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
