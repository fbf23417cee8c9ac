/**
 * What each workflow evaluates for itself, and what the worker's workflows share (issue 19, worker/workflow-code.ts).
 * The bundle the worker builds is run here as the SDK's reusable context runs it: one context; what the preload
 * requires goes into the shared module cache; each workflow then requires the workflows into a cache of its own.
 */
import vm from 'node:vm';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowCode } from '../worker/workflow-code';

let bundle: WorkflowBundleWithSourceMap;
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

beforeAll(async () => {
  bundle = await bundleWorkflowCode({
    workflowsPath: workflowCode.workflowsPath,
    preloadModules: workflowCode.bundlerOptions.preloadModules,
    workflowInterceptorModules: [require.resolve('../workflows/trouble')],
    logger: quiet,
  });
}, 120_000);

/** Loads the bundle, preloads, and starts `workflows` workflows: the modules each evaluated for itself. */
function modulesEvaluatedPerWorkflow(code: string, workflows: number): { shared: string[]; perWorkflow: string[][] } {
  const shared = new Map<string | symbol, unknown>();
  let own: Map<string | symbol, unknown> | undefined;
  const context = vm.createContext({});
  Object.defineProperty(context, '__webpack_module_cache__', {
    value: new Proxy(
      {},
      {
        get: (_, id) => shared.get(id) ?? own?.get(id),
        set: (_, id, module) => (own ?? shared).set(id, module) !== undefined,
      },
    ),
  });
  new vm.Script(code).runInContext(context);
  vm.runInContext('__TEMPORAL__.preloadModules?.()', context);
  const perWorkflow: string[][] = [];
  for (let i = 0; i < workflows; i++) {
    own = new Map();
    vm.runInContext('__TEMPORAL__.importWorkflows(); __TEMPORAL__.importInterceptors()', context);
    perWorkflow.push([...own.keys()].map(String).sort());
  }
  return { shared: [...shared.keys()].map(String), perWorkflow };
}

test('the libraries and the pure domain are evaluated once per worker; a workflow evaluates only its own modules and the schema modules', () => {
  const { shared, perWorkflow } = modulesEvaluatedPerWorkflow(bundle.code, 2);
  expect(shared).toEqual(expect.arrayContaining(['./domain/calendar.ts', './domain/lifecycle.ts']));
  expect(shared.some((id) => id.includes('node_modules/zod/'))).toBe(true);
  expect(shared.some((id) => id.includes('node_modules/luxon/'))).toBe(true);
  expect(shared.some((id) => id.includes('node_modules/xstate/'))).toBe(true);
  // Each workflow: of the libraries only the SDK's workflow API (per workflow by design, as for any workflow), and
  // of the domain only what builds zod schemas (and what imports it).
  expect(perWorkflow[0].filter((id) => id.includes('node_modules') && !id.includes('node_modules/@temporalio/workflow/'))).toEqual([]);
  expect(perWorkflow[0].filter((id) => id.startsWith('./domain/'))).toEqual([
    './domain/admissibility.ts',
    './domain/admission.ts',
    './domain/application.ts',
    './domain/campaign.ts',
    './domain/case-status.ts',
    './domain/complaint.ts',
    './domain/custody.ts',
    './domain/fields.ts',
    './domain/guards.ts',
    './domain/notices.ts',
    './domain/refusals.ts',
    './domain/standards.ts',
  ]);
  expect(perWorkflow[0].some((id) => id.startsWith('./workflows/'))).toBe(true);
  expect(perWorkflow[1]).toEqual(perWorkflow[0]);
});

test('without the preload, every workflow evaluates the libraries again (what the preload saves)', async () => {
  const plain = await bundleWorkflowCode({ workflowsPath: workflowCode.workflowsPath, logger: quiet });
  const { perWorkflow } = modulesEvaluatedPerWorkflow(plain.code, 1);
  expect(perWorkflow[0].some((id) => id.includes('node_modules/zod/'))).toBe(true);
  expect(perWorkflow[0]).toEqual(expect.arrayContaining(['./domain/calendar.ts', './domain/lifecycle.ts']));
}, 120_000);
