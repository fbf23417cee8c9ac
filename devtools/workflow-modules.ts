/**
 * The workflow bundle's modules as the SDK's reusable context evaluates them (issue 19): one V8 context; what the
 * preload requires goes into the module cache every workflow shares; each workflow then requires the workflows
 * into a module cache of its own (@temporalio/worker's reusable-vm.js routes `__webpack_module_cache__` so).
 * test/workflow-code.test.ts asserts what each workflow evaluates for itself; run as a script, it measures the
 * heap that costs per workflow, with the worker's preload and without it:
 *
 *   node --expose-gc --import tsx devtools/workflow-modules.ts [--workflows N]
 */
import vm from 'node:vm';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Command } from 'commander';
import { WORKFLOW_INTERCEPTOR_MODULES, workflowCode } from '../worker/workflow-code';
import { positive } from './cli-options';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** The bundle the worker builds (its interceptor module included), with the worker's preload or without any. */
export async function workflowBundle({ preload }: { preload: boolean }): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: workflowCode.workflowsPath,
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
    ...(preload && { preloadModules: workflowCode.bundlerOptions.preloadModules }),
    logger: quiet,
  });
  return code;
}

export interface LoadedBundle {
  /** the module ids in the cache every workflow shares */
  shared: string[];
  /** where a zod schema is reachable from what the shared modules export, walked as the SDK's freeze walks it */
  frozenSchemas(): string[];
  /** evaluates the workflows for one more workflow, as the SDK does when it creates one; returns its module cache */
  startWorkflow(): Map<string, unknown>;
}

export function loadBundle(code: string): LoadedBundle {
  const shared = new Map<string, unknown>();
  let own: Map<string, unknown> | undefined;
  const context = vm.createContext({});
  Object.defineProperty(context, '__webpack_module_cache__', {
    value: new Proxy(
      {},
      {
        get: (_, id) => shared.get(String(id)) ?? own?.get(String(id)),
        set: (_, id, module) => (own ?? shared).set(String(id), module) !== undefined,
      },
    ),
  });
  new vm.Script(code).runInContext(context);
  vm.runInContext('__TEMPORAL__.preloadModules?.()', context);
  return {
    shared: [...shared.keys()],
    frozenSchemas() {
      const found: string[] = [];
      const seen = new Set<object>();
      // The SDK's deepFreeze: own properties (getters read) of objects, recursively; a function is frozen itself only.
      const walk = (value: unknown, where: string) => {
        if (value === null || typeof value !== 'object' || seen.has(value)) return;
        seen.add(value);
        if ('_zod' in value) found.push(where);
        for (const key of Reflect.ownKeys(value)) walk(Reflect.get(value, key), `${where}.${String(key)}`);
      };
      for (const [id, module] of shared) walk((module as { exports: unknown }).exports, id);
      return found;
    },
    startWorkflow() {
      own = new Map();
      vm.runInContext('__TEMPORAL__.importWorkflows(); __TEMPORAL__.importInterceptors()', context);
      const started = own;
      own = undefined;
      return started;
    },
  };
}

/** Heap per workflow for its modules: N workflows held, heap after a full GC minus before, over N. */
function heapPerWorkflowKiB(code: string, workflows: number): { modules: number; kib: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const bundle = loadBundle(code);
  const held: Map<string, unknown>[] = [];
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < workflows; i++) held.push(bundle.startWorkflow());
  gc();
  const after = process.memoryUsage().heapUsed;
  return { modules: held[0].size, kib: (after - before) / workflows / 1024 };
}

if (require.main === module) {
  const { workflows } = new Command('workflow-modules')
    .option('--workflows <n>', 'workflows to hold', positive, 200)
    .parse()
    .opts<{ workflows: number }>();
  void (async () => {
    const without = heapPerWorkflowKiB(await workflowBundle({ preload: false }), workflows);
    const withPreload = heapPerWorkflowKiB(await workflowBundle({ preload: true }), workflows);
    process.stdout.write(
      [
        `| the workflow bundle, ${workflows} workflows | modules evaluated per workflow | heap per workflow |`,
        '| --- | ---: | ---: |',
        `| every module per workflow | ${without.modules} | ${without.kib.toFixed(0)} KiB |`,
        `| with the worker's preload | ${withPreload.modules} | ${withPreload.kib.toFixed(0)} KiB |`,
        `| ratio | | ${(withPreload.kib / without.kib).toFixed(2)}× |`,
        '',
      ].join('\n'),
    );
  })();
}
