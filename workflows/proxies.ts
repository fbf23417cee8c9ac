/** The activities as the workflows call them, with one timeout and retry policy for both workflows. */
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';

// Every activity is idempotent, so retrying without a limit is safe; a case waits rather than fails.
export const store = proxyActivities<activities.Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
