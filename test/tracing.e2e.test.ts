/**
 * One trace per case (issue 36): OpenTelemetry spans of the API's request, the workflow (Temporal's interceptors),
 * its activities and the outbox's deliveries, received over OTLP/HTTP by a collector of the test's own — the real
 * exporter, the real API, worker, relay and PostgreSQL, the time-skipping server taking the case to its end (the run's
 * span is exported when the run ends).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { installTracing, type Tracing } from '../infra/tracing';
import { sampleIin, sampleSubmission } from './helpers/applications';
import { academicYearOf } from './helpers/clock';
import { eventually, httpClient } from './helpers/http';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/service';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: Record<string, unknown> }>;
}

/** An OTLP/HTTP trace collector (JSON): every span it is sent, with the service that sent it. */
const received: Array<ReceivedSpan & { service: string }> = [];
const collector = http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    if (request.url === '/v1/traces') {
      const sent = JSON.parse(body) as {
        resourceSpans: Array<{
          resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans: Array<{ spans: ReceivedSpan[] }>;
        }>;
      };
      for (const r of sent.resourceSpans) {
        const service = r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const s of r.scopeSpans) for (const span of s.spans) received.push({ ...span, service });
      }
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

let stack: TimeSkippingStack;
let tracing: Tracing;
const api = httpClient(() => stack.baseUrl);

beforeAll(async () => {
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  tracing = installTracing('teacher-attestation', `http://127.0.0.1:${(collector.address() as AddressInfo).port}`)!;
  stack = await startTimeSkippingStack('tracing', {}, { tracing });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await tracing?.shutdown();
  collector.close();
});

test('an application is one trace: the API request, the workflow, its activities and the outbox deliveries, with no IIN or name in any span', async () => {
  const at = await stack.atNextWorkingMoment();
  const submission = sampleSubmission({
    iin: sampleIin(5301),
    submittedAt: at,
    academicYear: academicYearOf(at),
    fullName: 'Гульнара Ерболовна Сапарова',
  });
  // A malformed traceparent from the caller is ignored: the request's span starts the case's trace.
  const { applicationId } = (await api('POST', '/applications', submission, undefined, { traceparent: '00-not-a-trace-<script>-01' })).body as {
    applicationId: string;
  };
  await eventually(
    () => api('GET', `/applications/${applicationId}`),
    (r) => r.body.state === 'under-review',
  );
  expect((await api('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'A. Head' })).status).toBe(200);
  const notified = await eventually(
    () => api('GET', `/applications/${applicationId}`),
    (r) => r.body.state === 'notified',
  );
  // The case runs to its end (the complaint period over): its run's span ends, and goes out with the rest.
  await stack.skipTo(new Date(Date.parse(notified.body.complaintPeriodEndsAt) + 60_000));
  await eventually(
    () => api('GET', `/applications/${applicationId}`),
    (r) => r.body.state === 'closed',
  );
  const workflowId = `application-${applicationId}`;
  const ofCase = (s: ReceivedSpan) => s.attributes?.some((a) => a.key === 'temporalWorkflowId' && a.value.stringValue === workflowId);
  const inTheRequestsTrace = async () => {
    await tracing.flush();
    const request = received.find((s) => s.name === 'POST /applications');
    return request ? received.filter((s) => s.traceId === request.traceId) : [];
  };
  // the run's span, and the delivery of the result's notice
  await eventually(
    inTheRequestsTrace,
    (spans) => spans.some((s) => s.name === 'RunWorkflow:applicationWorkflow') && spans.some((s) => s.name === 'deliver notifier'),
    60_000,
  );

  const request = received.find((s) => s.name === 'POST /applications')!;
  const trace = received.filter((s) => s.traceId === request.traceId);
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  const parentOf = (s: ReceivedSpan) => (s.parentSpanId ? byId.get(s.parentSpanId)?.name : undefined);
  const named = (name: string) => trace.filter((s) => s.name === name);

  // The tree: the request starts the workflow; the run schedules each activity; the activity runs; a message
  // written by an activity is delivered in its span.
  expect(request.parentSpanId ?? '').toBe('');
  expect(parentOf(named('StartWorkflow:applicationWorkflow')[0])).toBe('POST /applications');
  expect(parentOf(named('RunWorkflow:applicationWorkflow')[0])).toBe('StartWorkflow:applicationWorkflow');
  for (const activity of ['recordApplication', 'lookUpStateRecords', 'recordStage', 'issueResult']) {
    const scheduled = named(`StartActivity:${activity}`);
    expect({ activity, scheduled: scheduled.length > 0 }).toEqual({ activity, scheduled: true });
    expect({ activity, parent: parentOf(scheduled[0]) }).toEqual({ activity, parent: 'RunWorkflow:applicationWorkflow' });
    const ran = named(`RunActivity:${activity}`);
    expect({ activity, parent: parentOf(ran[0]) }).toEqual({ activity, parent: `StartActivity:${activity}` });
  }
  const deliveries = trace.filter((s) => s.name.startsWith('deliver '));
  expect(deliveries.map((d) => d.name)).toEqual(expect.arrayContaining(['deliver notifier', 'deliver monitoring']));
  for (const d of deliveries) expect(parentOf(d)).toMatch(/^RunActivity:/);
  // The notice of the result is delivered within the signing activity's span.
  expect(deliveries.filter((d) => d.name === 'deliver notifier').map(parentOf)).toContain('RunActivity:issueResult');

  // Every span of the case's workflow run and activities is in this one trace.
  const elsewhere = received.filter((s) => ofCase(s) && /^(RunWorkflow|StartActivity|RunActivity)/.test(s.name) && s.traceId !== request.traceId);
  expect(elsewhere.map((s) => s.name)).toEqual([]);

  // No personal data in a span's name or attributes.
  const everything = JSON.stringify(received);
  for (const secret of [submission.iin, submission.fullName]) expect(everything).not.toContain(secret);
}, 180_000);
