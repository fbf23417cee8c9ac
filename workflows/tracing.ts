/**
 * One trace per case (issue 36): the workflows' side of OpenTelemetry, Temporal's own interceptors — a span for the
 * run, each update and query, and each activity scheduled, carried to the activity in its headers. Bundled only by a
 * worker that traces (worker/worker.ts); its spans leave the sandbox through the `exporter` sink.
 */
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new OpenTelemetryInboundInterceptor()],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
