/**
 * The worker's telemetry (issue 6): one JSON line per log event, each naming its case (`caseId`, from the
 * workflow id, never an IIN or a name), and the SDK's worker and workflow metrics plus our own case metrics
 * (workflows/metrics.ts) on a Prometheus endpoint. Installed once per process, before any connection.
 */
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { caseOf } from '../domain/case-ids';

export interface TelemetryOptions {
  /** host:port of the Prometheus endpoint (GET /metrics); none when absent */
  metricsAddress?: string;
  /** where the JSON lines go (stdout by default) */
  write?: (line: string) => void;
  level?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/** A log entry as one JSON line: time, level, message, the case, then the SDK's own fields. */
export function logLine(entry: LogEntry): string {
  const meta = (entry.meta ?? {}) as Record<string, unknown>;
  const workflowId = typeof meta.workflowId === 'string' ? meta.workflowId : undefined;
  const ids = workflowId ? caseOf(workflowId) : { applicationId: null, complaintId: null };
  const caseId = (meta.applicationId as string | undefined) ?? ids.applicationId ?? ids.complaintId ?? undefined;
  return JSON.stringify(
    {
      time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(),
      level: entry.level.toLowerCase(),
      msg: entry.message,
      ...(caseId && { caseId }),
      ...(ids.complaintId && { complaintId: ids.complaintId }),
      ...meta,
    },
    (_key, value) => (typeof value === 'bigint' ? value.toString() : value),
  );
}

export function installTelemetry({
  metricsAddress,
  write = (line) => process.stdout.write(`${line}\n`),
  level = 'INFO',
}: TelemetryOptions = {}): void {
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => write(logLine(entry))),
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
      ...(metricsAddress && { metrics: { prometheus: { bindAddress: metricsAddress } } }),
    },
  });
}
