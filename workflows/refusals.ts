/** A refusal (domain/refusals.ts) as it leaves a workflow: an ApplicationFailure typed by its code, carrying it. */
import { ApplicationFailure } from '@temporalio/workflow';
import type { Refusal } from '../domain/refusals';

/** Raises a guard's refusal, if any: an update's validator refuses the update with it. */
export function refuseWith(refusal: Refusal | null): void {
  if (refusal) throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, details: [refusal], nonRetryable: true });
}
