/**
 * The activities as the workflows call them, grouped by the timeouts and retry policies that suit each group.
 * Every activity is idempotent, so a transient failure is retried without a limit: a case waits rather than
 * fails. A failure no retry can cure comes back non-retryable (activities/index.ts) and is not retried.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { CaseStoreActivities, ComplaintActivities, DocumentActivities, GatewayActivities, RetentionActivities } from '../activities';

/** The case store: a quick local database; retried soon, then at most every minute while it is away. */
export const caseStore = proxyActivities<CaseStoreActivities & ComplaintActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * R8: the e-government gateway, an outside system: its registers are asked side by side, ten seconds each at
 * most (infra/gateway.ts), and an outage is waited out with a longer back-off, so the gateway is not flooded
 * when it comes back.
 */
export const gateway = proxyActivities<GatewayActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** R5: documents are signed (a signing service may be remote) and stored with their delivery in one transaction. */
export const documents = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/** Issue 36: the retention's batches, each a short transaction of the case store (retried like the store's). */
export const retention = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
