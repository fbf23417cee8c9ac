/** The worker process. SIGINT/SIGTERM drain it gracefully (the SDK's default shutdown signals). */
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { assertReadyForProduction } from '../infra/production';
import { WORKER_REQUIREMENTS } from './production';
import { providerUnitsFromEnvironment } from '../infra/provider-units';
import { temporalConnectionFromEnvironment } from '../infra/temporal-connection';
import { setUpTemporal } from '../infra/temporal-setup';
import { signersFromEnvironment, signingCertificatesFromEnvironment } from '../infra/signers';
import { reportSigningCertificates } from './certificate-metrics';
import { reportCaseGauges } from './case-gauges';
import { webhookSecretsFromEnvironment } from '../infra/webhook-signature';
import { createStore } from '../infra/store';
import { stageReportCarrier } from '../infra/smartbridge/gateway';
import { DATA_DIR } from '../infra/paths';
import { countEnv, requiredEnv, runMain } from '../infra/process';
import { DEFAULT_MAX_ATTEMPTS, startOutboxRelay } from './outbox-relay';
import { createWorker } from './worker';
import { installTelemetry } from './telemetry';
import { installTracing } from '../infra/tracing';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from './workflow-code';
import { dataConverterFor, payloadKeysFromEnvironment } from '../infra/payload-codec';

runMain(async () => {
  assertReadyForProduction('worker', WORKER_REQUIREMENTS);
  // Before any connection: JSON log lines with the case id, and Prometheus metrics (docs/operators.md).
  installTelemetry({ metricsAddress: process.env.METRICS_ADDRESS ?? '127.0.0.1:9464' });
  // Issue 36: one trace per case, when OTEL_EXPORTER_OTLP_ENDPOINT names a collector.
  const tracing = installTracing('teacher-attestation-worker');
  const temporal = temporalConnectionFromEnvironment();
  const store = createStore(requiredEnv('DATABASE_URL'));
  // R1, R5: the registry and every unit's signer, checked before the worker polls (an expired certificate stops it).
  const units = providerUnitsFromEnvironment();
  const signers = signersFromEnvironment(path.join(DATA_DIR, 'signing'), units);
  // Issue 35: the days each certificate has left, as a metric and, near the end, a warning (docs/operators.md).
  const certificates = reportSigningCertificates(() => signingCertificatesFromEnvironment(path.join(DATA_DIR, 'signing')));
  // Issue 36: the open breaches and the outbox's state, as gauges the alert rules watch (infra/prometheus/alerts.yml).
  const gauges = reportCaseGauges(store);
  // R12: stage reports through the gateway's asynchronous channel when SMARTBRIDGE_FILE says so, else MONITORING_URL
  const stageReports = stageReportCarrier();
  const relay = startOutboxRelay(
    store,
    { notifier: requiredEnv('NOTIFIER_URL'), monitoring: stageReports ? '' : requiredEnv('MONITORING_URL') },
    {
      ...(stageReports && { handOver: { monitoring: stageReports } }),
      // Each receiver verifies the posts with its own shared secret (docs/integrators.md, signed webhooks).
      // During a switch of secret, each post is signed with the previous one as well (docs/operators.md).
      secrets: webhookSecretsFromEnvironment(process.env),
      maxAttempts: countEnv('OUTBOX_MAX_ATTEMPTS', DEFAULT_MAX_ATTEMPTS),
      onError: (message, details) => console.error(JSON.stringify({ level: 'warn', message, ...details })),
    },
  );
  // Issue 18: any Temporal server is set up for the service: its namespace and search attributes, idempotently.
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const setup = await setUpTemporal(temporal, namespace, {}, { retentionSchedule: true }).catch((error: Error) => {
    // A server that does not let workers administer it is set up by an operator (`cli setup`); /healthz tells.
    console.error(
      JSON.stringify({ level: 'warn', message: 'could not set up Temporal; run `cli setup` with operator rights', error: error.message }),
    );
    return null;
  });
  if (setup && (setup.namespaceCreated || setup.registered.length > 0 || setup.historyRetentionSet || setup.retentionSchedule === 'created')) {
    console.log(JSON.stringify({ level: 'info', message: 'Temporal set up for the service', namespace, ...setup }));
  }
  const connection = await NativeConnection.connect(temporal);
  try {
    const keys = payloadKeysFromEnvironment();
    if (!keys) console.error(JSON.stringify({ level: 'warn', message: 'PAYLOAD_KEYS is not set: personal data goes to Temporal unencrypted' }));
    const worker = await createWorker({
      connection,
      store,
      signers,
      units,
      namespace,
      dataConverter: dataConverterFor(keys),
      tracing,
      // Open cases wait for weeks: a bounded sticky cache keeps the worker's memory flat however many are open;
      // an evicted case replays its short history when it next has work (docs/performance.md).
      options: {
        maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS ?? DEFAULT_MAX_CACHED_WORKFLOWS),
        // The SDK's debug mode runs the workflows in the main thread, where a heap snapshot sees them (bench --heap-snapshot).
        ...(process.env.WORKER_DEBUG_MODE === '1' && { debugMode: true }),
      },
    });
    console.log(`worker polling ${worker.options.taskQueue} on ${temporal.address}${temporal.tls ? ' (TLS)' : ''}`);
    await worker.run();
  } finally {
    certificates.stop();
    await gauges.stop();
    await relay.stop();
    await tracing?.shutdown();
    await connection.close();
    await store.$disconnect();
  }
});
