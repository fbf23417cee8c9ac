/**
 * What each workflow evaluates for itself, and what the worker's workflows share (issue 19, worker/workflow-code.ts):
 * the bundle the worker builds, run as the SDK's reusable context runs it (devtools/workflow-modules.ts).
 */
import { loadBundle, workflowBundle } from '../devtools/workflow-modules';

const isLibrary = (library: string) => (id: string) => id.includes(`node_modules/${library}/`);

test('the libraries and the domain are evaluated once per worker; a workflow evaluates only the workflows and the SDK', async () => {
  const bundle = loadBundle(await workflowBundle({ preload: true }));
  expect(bundle.shared).toEqual(expect.arrayContaining(['./domain/calendar.ts', './domain/lifecycle.ts', './domain/application.ts']));
  for (const library of ['zod', 'luxon', 'xstate']) expect(bundle.shared.some(isLibrary(library))).toBe(true);
  const first = [...bundle.startWorkflow().keys()].sort();
  // The SDK's workflow API is per workflow by design (it is the baseline's cost as well).
  expect(first.filter((id) => !id.startsWith('./workflows/') && !isLibrary('@temporalio/workflow')(id))).toEqual([]);
  expect(first).toContain('./workflows/application.ts');
  expect([...bundle.startWorkflow().keys()].sort()).toEqual(first);
}, 120_000);

test('no zod schema is within reach of the freeze the SDK applies to what is shared (each is behind a function)', async () => {
  expect(loadBundle(await workflowBundle({ preload: true })).frozenSchemas()).toEqual([]);
}, 120_000);

test('without the preload, every workflow evaluates the libraries and the domain again (what the preload saves)', async () => {
  const own = [
    ...loadBundle(await workflowBundle({ preload: false }))
      .startWorkflow()
      .keys(),
  ];
  for (const library of ['zod', 'luxon', 'xstate']) expect(own.some(isLibrary(library))).toBe(true);
  expect(own).toEqual(expect.arrayContaining(['./domain/calendar.ts', './domain/lifecycle.ts', './domain/application.ts']));
}, 120_000);
