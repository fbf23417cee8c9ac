/** The time-skipping test environment on Temporal's Java test server, provisioned by scripts/tools.ts. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTestServer } from '../../scripts/tools';
import { registerSearchAttributes } from '../../scripts/temporal-server';

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTestServer() } },
  });
  // The search attributes the workflow upserts, registered as for the dev server.
  await registerSearchAttributes(env.address, undefined, env.namespace ?? 'default');
  return env;
}
