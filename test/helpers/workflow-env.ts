/** The time-skipping test environment on Temporal's Java test server, provisioned by devtools/tools.ts. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTestServer } from '../../devtools/tools';
import { indexedTypes } from '../../infra/temporal-setup';

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTestServer() } },
  });
  // The search attributes the workflow upserts, registered as for the dev server (the Java test server cannot
  // list them, and starts empty).
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes: indexedTypes() });
  return env;
}
