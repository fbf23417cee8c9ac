/**
 * The retention's activity (issue 36): one batch of one kind of record past its period, deleted or anonymised by
 * the case store. The policy is the worker's (RETENTION_POLICY_FILE, or the shipped one), so an operator's new
 * order takes effect at the next run without touching the workflow.
 */
import { periodInWords, retentionCutoff, type RetentionPolicy } from '../domain/retention';
import { applyRetentionBatch, type RetentionBatch } from '../infra/case-store';
import type { Store } from '../infra/store';

/** Records per batch: one short transaction each, so a run never holds the tables for long. */
export const RETENTION_BATCH_SIZE = 500;

export interface RetentionStep {
  count: number;
  /** a full batch: there may be more past the period */
  more: boolean;
  cutoff: string;
  keep: string;
}

export function createRetentionActivities({
  store,
  policy,
  batchSize = RETENTION_BATCH_SIZE,
}: {
  store: Store;
  policy: RetentionPolicy;
  batchSize?: number;
}) {
  return {
    /** One batch of `kind` past its period at `asOf` (the run's moment, from the workflow's clock). */
    async eraseExpiredRecords({ kind, asOf }: { kind: RetentionBatch['kind']; asOf: string }): Promise<RetentionStep> {
      const { keep } = policy[kind];
      const cutoff = retentionCutoff(keep, new Date(asOf));
      const count = await applyRetentionBatch(store, { kind, cutoff, asOf: new Date(asOf), limit: batchSize });
      return { count, more: count === batchSize, cutoff: cutoff.toISOString(), keep: periodInWords(keep) };
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
