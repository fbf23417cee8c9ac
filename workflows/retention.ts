/**
 * The daily retention (issue 36; Law on personal data, art. 12): a Temporal Schedule starts this workflow each
 * night (infra/retention-schedule.ts). For every kind of record the case store keeps, it asks for batches past the
 * kind's period, deleted or anonymised, until none is left, and answers what it did. The moment is the run's own
 * (the workflow's clock), so a run replayed or retried cuts at the same instant; every batch is idempotent.
 * Temporal's histories are deleted by Temporal itself, by the namespace's retention set from the same policy.
 */
import { log } from '@temporalio/workflow';
import { RETENTION_KINDS, STORE_RETENTION_KINDS, type RetentionReport } from '../domain/retention';
import { retention } from './proxies';

export async function retentionWorkflow(): Promise<RetentionReport[]> {
  const asOf = new Date().toISOString();
  const reports: RetentionReport[] = [];
  for (const kind of STORE_RETENTION_KINDS) {
    let count = 0;
    for (;;) {
      const step = await retention.eraseExpiredRecords({ kind, asOf });
      count += step.count;
      if (!step.more) {
        reports.push({ kind, keep: step.keep, cutoff: step.cutoff, action: RETENTION_KINDS[kind].action, count });
        break;
      }
    }
  }
  log.info('retention applied', { asOf, reports });
  return reports;
}
