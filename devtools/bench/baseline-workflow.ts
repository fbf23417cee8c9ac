/**
 * The benchmark's baseline (issue 7): a bare workflow with the same shape as an application up to its notice —
 * three no-op activities, a wait for an update under a one-day timer, four more no-op activities, then a long
 * timer as the complaint period — so the benchmark can say what our cost per case is against Temporal's own.
 */
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export interface BaselineActivities {
  step(n: number): Promise<void>;
}

export const baselineDecide = defineUpdate<void>('decide');

const { step } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });

export async function baselineWorkflow(): Promise<void> {
  let decided = false;
  setHandler(baselineDecide, () => void (decided = true));
  for (let n = 1; n <= 3; n++) await step(n);
  await condition(() => decided, '1 day');
  for (let n = 4; n <= 7; n++) await step(n);
  await condition(() => false, '90 days');
}
