/**
 * One trace per case (issue 36): OpenTelemetry spans of the API's requests, the workflows (through Temporal's own
 * interceptors, @temporalio/interceptors-opentelemetry), their activities and the outbox's deliveries, exported over
 * OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT; nothing is traced when it is not set. Span names and attributes carry
 * route patterns, workflow and activity types and workflow ids — never an IIN, a name or a body.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface Tracing {
  resource: Resource;
  processor: SpanProcessor;
  /** sends what is still buffered */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Installs the process's tracer provider (once per process), exporting to `endpoint` (OTLP/HTTP, `/v1/traces`
 * under it); null, and nothing installed, when there is no endpoint.
 */
export function installTracing(service: string, endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT): Tracing | null {
  if (!endpoint) return null;
  const resource = new Resource({ 'service.name': service });
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }), {
    scheduledDelayMillis: 1_000,
  });
  const provider = new BasicTracerProvider({ resource });
  provider.addSpanProcessor(processor);
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable(), propagator: new W3CTraceContextPropagator() });
  return {
    resource,
    processor,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

const tracer = () => trace.getTracer('teacher-attestation');

/** The W3C `traceparent` of the span now active (to store beside an outbox message), or null when none is. */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/**
 * Runs `work` in a span named `name`, a child of `traceparent` (a stored or received one) or of the active span;
 * the span records a thrown error and ends with `work`.
 */
export async function inSpan<T>(
  name: string,
  options: { kind: SpanKind; attributes?: Record<string, string | number>; traceparent?: string | null },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent: options.traceparent }) : context.active();
  return tracer().startActiveSpan(name, { kind: options.kind, attributes: options.attributes ?? {} }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };
