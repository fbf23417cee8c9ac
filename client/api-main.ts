/** The API process: HTTP on PORT (3000), talking to Temporal at TEMPORAL_ADDRESS and the case store. */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { assertReadyForProduction } from '../infra/production';
import { API_REQUIREMENTS } from './api-production';
import { providerUnitsFromEnvironment } from '../infra/provider-units';
import { temporalConnectionFromEnvironment } from '../infra/temporal-connection';
import { signingCertificatesFromEnvironment, trustAnchorsFromEnvironment } from '../infra/signers';
import { certificateWarningDays } from '../infra/certificate-expiry';
import { createStore } from '../infra/store';
import { campaignWindowsFrom } from '../domain/campaign';
import { publicationDuties, scheduleFrom } from '../domain/standards';
import { WorkingCalendar } from '../domain/calendar';
import { readCalendarOverrides } from '../infra/calendar-overrides';
import { recordPublicationDuties } from '../infra/schedule-publication';
import { DATA_DIR } from '../infra/paths';
import { countEnv, durationEnv, requiredEnv, runMain, serveUntilSignalled } from '../infra/process';
import { DEFAULT_SUBMISSION_MAX_DELAY_MS } from '../domain/application';
import { TASK_QUEUE } from '../infra/task-queue';
import { buildApi, DEFAULT_AUTH_FAILURES_PER_MINUTE, DEFAULT_RATE_LIMIT_PER_MINUTE } from './api/server';
import { apiKeysFromEnvironment, checkKeyUnits } from './api/auth';
import { EncryptionCodec, dataConverterFor, payloadKeysFromEnvironment } from '../infra/payload-codec';
import { createApiMetrics, serveMetrics } from './api/metrics';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { installTracing } from '../infra/tracing';
import { authorisedPersonsFromEnvironment } from '../infra/authorised-persons';
import { signatureVerifierFromEnvironment } from '../infra/signature-verifier';

runMain(async () => {
  assertReadyForProduction('API', API_REQUIREMENTS);
  // Checked before anything connects: a broken registry or a key naming a unit it lacks stops the start.
  const units = providerUnitsFromEnvironment();
  const apiKeys = apiKeysFromEnvironment();
  checkKeyUnits(apiKeys, units);
  const trustAnchors = trustAnchorsFromEnvironment(path.join(DATA_DIR, 'signing'));
  const store = createStore(requiredEnv('DATABASE_URL'));
  const connection = await Connection.connect(temporalConnectionFromEnvironment());
  const keys = payloadKeysFromEnvironment();
  // Issue 36: one trace per case, when OTEL_EXPORTER_OTLP_ENDPOINT names a collector: the request's span is the
  // parent of the workflow's start or update (Temporal's client interceptor carries it in the headers).
  const tracing = installTracing('teacher-attestation-api');
  const client = new Client({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    dataConverter: dataConverterFor(keys),
    ...(tracing && { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } }),
  });
  // Issue 36: the API's metrics on an address of their own (never the public port), when one is set.
  const metrics = process.env.API_METRICS_ADDRESS ? createApiMetrics() : undefined;
  const metricsServer = metrics && (await serveMetrics(metrics.registry, process.env.API_METRICS_ADDRESS!));
  // R12: each change of the standard whose adoption the schedule records is owed to the contact centre in 3 working days
  const standardSchedule = scheduleFrom(process.env.STANDARD_SCHEDULE);
  await recordPublicationDuties(store, publicationDuties(standardSchedule, new WorkingCalendar(await readCalendarOverrides(store))));
  const app = buildApi({
    ...(metrics && { metrics }),
    client,
    store,
    taskQueue: TASK_QUEUE,
    identitySecret: requiredEnv('IDENTITY_SECRET'),
    campaignWindows: campaignWindowsFrom(process.env.CAMPAIGN_WINDOWS),
    submissionMaxDelayMs: durationEnv('SUBMISSION_MAX_DELAY', DEFAULT_SUBMISSION_MAX_DELAY_MS),
    rateLimitPerMinute: countEnv('RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMIT_PER_MINUTE),
    authFailuresPerMinute: countEnv('AUTH_FAILURES_PER_MINUTE', DEFAULT_AUTH_FAILURES_PER_MINUTE),
    // Behind a load balancer: `true` (trust the forwarded address), or the balancers' addresses, comma-separated.
    ...(process.env.TRUST_PROXY && { trustProxy: process.env.TRUST_PROXY === 'true' ? true : process.env.TRUST_PROXY }),
    standardSchedule,
    units,
    trustAnchorsPem: () => trustAnchors,
    // Issue 31: who may sign a unit's decision, and how an official's signature is verified.
    authorisedPersons: authorisedPersonsFromEnvironment(units),
    signatureVerifier: signatureVerifierFromEnvironment(() => trustAnchors),
    // Issue 35: /healthz warns of a signing certificate near its end, read from the certificate files (no key).
    signingCertificates: () => signingCertificatesFromEnvironment(path.join(DATA_DIR, 'signing')),
    certificateWarningDays: certificateWarningDays(),
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    ...(process.env.CODEC_SESSION_SECRET && { codecSessionSecret: process.env.CODEC_SESSION_SECRET }),
    // Issue 32: the session cookies' Secure flag from configuration (on in production), never from a Host header.
    secureCookies: process.env.SESSION_COOKIE_SECURE ? process.env.SESSION_COOKIE_SECURE === 'true' : process.env.NODE_ENV === 'production',
    apiKeys,
    ...(keys && { codec: new EncryptionCodec(keys) }),
    ...(process.env.CODEC_CORS_ORIGINS && { codecCorsOrigins: process.env.CODEC_CORS_ORIGINS.split(',').map((o) => o.trim()) }),
  });
  const port = Number(process.env.PORT ?? 3000);
  await serveUntilSignalled(app, port, process.env.HOST ?? '127.0.0.1', async () => {
    metricsServer?.close();
    await tracing?.shutdown();
    await connection.close();
    await store.$disconnect();
  });
  console.log(`API listening on http://localhost:${port}`);
});
