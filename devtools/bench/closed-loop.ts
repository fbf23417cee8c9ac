/**
 * The closed loop: N applications submitted through the HTTP API, C in flight, each registered, decided, and its
 * notice awaited at the receiver; what it took — throughput, latencies, the worker's CPU and memory, Temporal's
 * CPU, the history of a case, the rows and the store statements per case.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { eachLimited } from '../../client/each-limited';
import { caseRowCount } from '../../infra/case-store';
import { workflowIdFor } from '../../infra/identity';
import { parseOutboxKey } from '../../infra/outbox-keys';
import { academicYearOf, lastWorkingMoment, sampleIin, sampleSubmission } from '../samples';
import { growthTable, summarise } from '../heap-top';
import { heapSnapshot, historyShape, percentile, processUsage, say, stackAlive, until } from './measure';
import type { BenchOptions } from './options';
import { poster, type BenchStack } from './stack';
import { countStatements, resetStatements, type StatementCount } from './store-statements';

export async function closedLoop(stack: BenchStack, client: Client, options: BenchOptions, cacheSize: number) {
  const { store, worker } = stack;
  const n = options.applications;
  const c = options.concurrency;
  const submittedAt = lastWorkingMoment().toISOString();
  const latencies: number[] = [];
  const post = poster(stack, latencies);
  if (options.heapSnapshot) await heapSnapshot(worker, options.heapSnapshot, 'empty');
  const usageAtStart = processUsage(worker.pid!);
  const temporalAtStart = stack.temporalCpu();
  let peakRss = usageAtStart.rssMiB;
  const sampler = setInterval(() => {
    if (stackAlive()) peakRss = Math.max(peakRss, processUsage(worker.pid!).rssMiB);
  }, 500);
  stack.stops.push(async () => clearInterval(sampler));
  await resetStatements(stack.databaseUrl);

  say('submitting');
  const ids: string[] = new Array(n);
  const submitTimes = new Map<string, number>();
  const t0 = Date.now();
  await eachLimited(
    Array.from({ length: n }, (_, i) => i),
    c,
    async (i) => {
      const sent = Date.now();
      const { applicationId } = await post(
        '/applications',
        sampleSubmission({ iin: sampleIin(100_000 + i * 7), submittedAt, academicYear: academicYearOf(submittedAt) }),
      );
      ids[i] = applicationId;
      submitTimes.set(applicationId, sent);
    },
  );
  const tSubmitted = Date.now();
  say('waiting for every registration');
  const registered = () => store.outboxMessage.count({ where: { key: { startsWith: 'stage:', endsWith: ':under-review' } } });
  await until('registrations', async () => (await registered()) >= n);
  say('deciding');
  const decideTimes = new Map<string, number>();
  const tDecideStart = Date.now();
  await eachLimited(ids, c, async (id) => {
    decideTimes.set(id, Date.now());
    await post(`/applications/${id}/decision`, { decision: 'accept', official: 'Bench' });
  });
  say('waiting for every notice at the receiver');
  await until('notices', async () => (await store.receivedMessage.count({ where: { key: { startsWith: 'notice:' } } })) >= n);
  const tDone = Date.now();
  clearInterval(sampler);
  const statements: StatementCount = await countStatements(stack.databaseUrl);
  const usageAtEnd = processUsage(worker.pid!);
  const temporalAtEnd = stack.temporalCpu();
  if (options.heapSnapshot) {
    await heapSnapshot(worker, options.heapSnapshot, 'full');
    const snapshots = (label: string) => path.join(options.heapSnapshot!, `${label}.heapsnapshot`);
    process.stdout.write(growthTable(summarise(snapshots('empty')), summarise(snapshots('full')), Math.min(n, cacheSize), 'cached workflow'));
  }

  const outbox = await store.outboxMessage.findMany({ select: { key: true, createdAt: true } });
  const stageAt = new Map<string, number>();
  const noticeAt = new Map<string, number>();
  for (const m of outbox) {
    const { kind, caseId, rest } = parseOutboxKey(m.key);
    if (kind === 'stage' && rest === 'under-review') stageAt.set(caseId, m.createdAt.getTime());
    if (kind === 'notice') noticeAt.set(caseId, m.createdAt.getTime());
  }
  const toRegistration = ids.map((id) => stageAt.get(id)! - submitTimes.get(id)!);
  const toNotice = ids.map((id) => noticeAt.get(id)! - decideTimes.get(id)!);
  const lastRegistration = Math.max(...stageAt.values());
  const rows = (await caseRowCount(store)) + (await store.outboxMessage.count()) + (await store.idempotentRequest.count());
  return {
    figures: {
      applications: n,
      concurrency: c,
      submissionsPerSecond: n / ((tSubmitted - t0) / 1000),
      registrationsPerSecond: n / ((lastRegistration - t0) / 1000),
      completedCasesPerSecond: n / ((tDone - t0) / 1000),
      apiLatencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
      submissionToRegistrationMs: { p50: percentile(toRegistration, 50), p99: percentile(toRegistration, 99) },
      decisionToNoticeMs: { p50: percentile(toNotice, 50), p99: percentile(toNotice, 99) },
      decidingSeconds: (tDone - tDecideStart) / 1000,
      workerRssMiB: { start: usageAtStart.rssMiB, peak: peakRss, end: usageAtEnd.rssMiB },
      workerCpuSeconds: usageAtEnd.cpuSeconds - usageAtStart.cpuSeconds,
      workerCpuPerCaseMs: ((usageAtEnd.cpuSeconds - usageAtStart.cpuSeconds) * 1000) / n,
      databaseRowsPerCase: rows / n,
      storeStatementsPerCase: statements.total / n,
      storeWritesPerCase: statements.writes / n,
      historyPerCase: await historyShape(client, ids.map(workflowIdFor)),
    },
    statements,
    usageAtStart,
    usageAtEnd,
    temporalAtStart,
    temporalAtEnd,
  };
}
