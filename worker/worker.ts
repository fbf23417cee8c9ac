/** The worker: polls the task queue, runs the application workflow and its activities. */
import type { Context } from '@temporalio/activity';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { gatewayFromEnvironment, type StateRecordsGateway } from '../infra/gateway';
import type { ProviderUnits } from '../domain/provider-units';
import type { UnitSigners } from '../infra/signer';
import type { Store } from '../infra/store';
import { TASK_QUEUE } from '../infra/task-queue';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { Tracing } from '../infra/tracing';
import { troubleInterceptor, troubleSinks } from './trouble';
import { TRACING_WORKFLOW_INTERCEPTOR_MODULE, WORKFLOW_INTERCEPTOR_MODULES, workflowCode } from './workflow-code';

export interface WorkerDeps {
  connection: NativeConnection;
  store: Store;
  /** R5, R13: every unit's signer */
  signers: UnitSigners;
  /** R1: the registry of units (the shipped one when not given) */
  units?: ProviderUnits;
  namespace?: string;
  taskQueue?: string;
  /** the payload codec (infra/payload-codec.ts): personal data never reaches Temporal in the clear */
  dataConverter?: DataConverter;
  options?: Partial<WorkerOptions>;
  /** the e-government gateway (R8); the one SMARTBRIDGE_FILE configures when absent */
  gateway?: StateRecordsGateway;
  /** one trace per case (infra/tracing.ts): the workflows' and activities' spans; none when absent */
  tracing?: Tracing | null;
}

/**
 * Creates (does not run) the worker of both workflows and every activity, on `taskQueue` (`teacher-attestation`
 * by default). The activities are built over `store`, `signers` and `units`, with the gateway SMARTBRIDGE_FILE configures (the
 * database stand-in without it); `options.activities` replaces them whole (tests). Give the payload codec's
 * `dataConverter` in every deployment: without it personal data reaches Temporal in the clear. The caller runs
 * it (`worker.run()`) and shuts it down; SIGINT/SIGTERM drain it.
 */
export async function createWorker({
  connection,
  store,
  signers,
  units,
  namespace,
  taskQueue,
  dataConverter,
  options,
  gateway,
  tracing,
}: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: namespace ?? 'default',
    taskQueue: taskQueue ?? TASK_QUEUE,
    ...(dataConverter && { dataConverter }),
    ...workflowCode,
    activities: createActivities({ store, signers, units, gateway: gateway ?? gatewayFromEnvironment(store) }),
    // What the stuck-case listing reads instead of describing every running workflow (worker/trouble.ts); and,
    // tracing, each workflow's and activity's span in its case's trace (infra/tracing.ts).
    interceptors: {
      activity: [
        troubleInterceptor(store),
        ...(tracing
          ? [
              (ctx: Context) => ({
                inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
                outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
              }),
            ]
          : []),
      ],
      workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES, ...(tracing ? [TRACING_WORKFLOW_INTERCEPTOR_MODULE] : [])],
    },
    sinks: { ...troubleSinks(store), ...(tracing && { exporter: makeWorkflowExporter(tracing.processor, tracing.resource) }) },
    ...options,
  });
}
