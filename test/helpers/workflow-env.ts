/** The time-skipping test environment on Temporal's Java test server, provisioned by devtools/tools.ts. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTestServer } from '../../devtools/tools';
import { indexedTypes } from '../../infra/temporal-setup';
import { clockWasSet, testNow } from './clock';

/**
 * A fresh time-skipping server whose clock starts at `startAt`: by default the suite's "now" (the machine's
 * clock, or TEST_NOW: test/helpers/clock.ts); a test of a particular date may give its own, past or future.
 */
export async function createTimeSkippingEnv(startAt: Date | null = clockWasSet ? testNow() : null): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable: { type: 'existing-path', path: ensureTestServer() },
      ...(startAt && { extraArgs: [`--start-at=${startAt.getTime()}`] }),
    },
  });
  // The search attributes the workflow upserts, registered as for the dev server (the Java test server cannot
  // list them, and starts empty).
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes: indexedTypes() });
  return env;
}
