/** The time-skipping test environment on Temporal's Java test server, provisioned by scripts/tools.ts. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { ensureTestServer } from '../../scripts/tools';

// temporal.api.enums.v1.IndexedValueType
const INDEXED_VALUE_TYPES: Record<string, number> = { KEYWORD: 2, BOOL: 5, DATETIME: 6 };

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTestServer() } },
  });
  // The search attributes the workflow upserts, registered as the dev server registers them.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, INDEXED_VALUE_TYPES[k.type]])),
  });
  return env;
}
