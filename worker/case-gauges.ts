/**
 * What the alerts watch that no counter can tell (issue 36): the breaches still open — decisions owed past their
 * term by provider unit (R3), complaint reviews owed past theirs by reviewing unit (R13) — and the outbox's state
 * (R5, R12): messages waiting, the age of the oldest, dead letters. Read from the case store and set as gauges on
 * the worker's Prometheus endpoint every `intervalMs`; a unit whose breaches are all mended is set back to 0, so
 * its alert resolves. Every worker reports the same store: the alert rules take the max over workers.
 */
import type { MetricMeter } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import { openBreaches } from '../infra/case-store';
import { oldestPendingAt, undeliveredCounts } from '../infra/outbox';
import type { Store } from '../infra/store';

export const CASE_GAUGES_INTERVAL_MS = 30_000;

export function reportCaseGauges(
  store: Store,
  {
    intervalMs = CASE_GAUGES_INTERVAL_MS,
    now = () => new Date(),
    log = (line: string) => console.error(line),
    meter = Runtime.instance().metricMeter as MetricMeter,
  } = {},
): { stop(): Promise<void> } {
  const decisions = meter.createGauge(
    'attestation_decisions_owed_overdue',
    'int',
    'cases',
    'decisions still owed past their term, by provider unit (R3)',
  );
  const reviews = meter.createGauge(
    'attestation_complaint_reviews_owed_overdue',
    'int',
    'complaints',
    'complaint reviews still owed past their 5 or 15 working days, by reviewing unit (R13)',
  );
  const pending = meter.createGauge('attestation_outbox_pending', 'int', 'messages', 'outbox messages waiting for delivery (R5, R12)');
  const dead = meter.createGauge('attestation_outbox_dead_letters', 'int', 'messages', 'outbox messages the relay gave up on, until requeued');
  const oldest = meter.createGauge(
    'attestation_outbox_oldest_pending_seconds',
    'float',
    's',
    'the age of the oldest outbox message waiting (0: none)',
  );
  /** the label values set before: set to 0 when they are no longer counted */
  const seen = { decisions: new Set<string>(), reviews: new Set<string>() };
  const setAll = (gauge: typeof decisions, label: string, counts: Map<string, number>, before: Set<string>) => {
    for (const value of before) if (!counts.has(value)) gauge.set(0, { [label]: value });
    for (const [value, count] of counts) {
      gauge.set(count, { [label]: value });
      before.add(value);
    }
  };

  const report = async () => {
    try {
      const breaches = await openBreaches(store);
      setAll(decisions, 'provider_unit', breaches.decisions, seen.decisions);
      setAll(reviews, 'reviewing_unit', breaches.complaintReviews, seen.reviews);
      const outbox = await undeliveredCounts(store);
      pending.set(outbox.pending);
      dead.set(outbox.dead);
      const since = await oldestPendingAt(store);
      oldest.set(since ? Math.max(0, (now().getTime() - since.getTime()) / 1000) : 0);
    } catch (error) {
      log(JSON.stringify({ level: 'warn', message: `could not read the case gauges: ${(error as Error).message}` }));
    }
  };
  let running = report();
  const timer = setInterval(() => {
    running = running.then(report);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
