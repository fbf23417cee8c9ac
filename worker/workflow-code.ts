/**
 * What a worker bundles and how (issue 19): the workflows, and the module every workflow shares. The worker, the
 * workflow tests and the replay of recorded histories all take it from here, so that they run the same code.
 */
import type { BundleOptions } from '@temporalio/worker';

/**
 * Loaded once per worker, before any workflow, instead of once per workflow (workflows/shared-domain.ts says why
 * and what it holds). Nothing else is listed: the workflows' own modules call the workflow API as they load.
 */
export const SHARED_WORKFLOW_MODULES: readonly string[] = [require.resolve('../workflows/shared-domain')];

/** The workflow interceptors the worker bundles: what the stuck-case listing reads of failing workflow tasks (workflows/trouble.ts). */
export const WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [require.resolve('../workflows/trouble')];

/** And, in a worker that traces (OTEL_EXPORTER_OTLP_ENDPOINT), OpenTelemetry's (workflows/tracing.ts). */
export const TRACING_WORKFLOW_INTERCEPTOR_MODULE = require.resolve('../workflows/tracing');

/**
 * The sticky cache a worker keeps unless WORKER_MAX_CACHED_WORKFLOWS says otherwise. With the domain shared a cached
 * workflow costs about 1–1.9 MiB of worker RSS, not 6–7: 500 of them peaked at 1.2 GiB in the 2 000-case bench,
 * and a larger cache replays fewer evicted workflows (105 against 127 ms of worker CPU per case at 250).
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 500;

/** The worker options that choose the workflow code (spread into Worker.create and Worker.runReplayHistories). */
export const workflowCode: { workflowsPath: string; bundlerOptions: Pick<BundleOptions, 'preloadModules'> } = {
  workflowsPath: require.resolve('../workflows'),
  bundlerOptions: { preloadModules: [...SHARED_WORKFLOW_MODULES] },
};
