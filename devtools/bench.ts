/**
 * `npm run bench -- --applications N --concurrency C` (issue 7): the real stack as `npm start` runs it (embedded
 * PostgreSQL, the Temporal dev server, the worker and the API as processes of their own), N applications
 * submitted through the HTTP API, each decided, every notice awaited at the receiver; then, in the same run and on
 * the same server, a baseline of bare workflows with the same number of no-op activities and timers. Prints one
 * table; `--json` for machines. `--rate R[,R…]` is open loop instead: submissions arrive at R a second whatever
 * the answers (as a national portal sends them), and the API's latency and submission → registration are
 * reported for each rate. `--open-cases` leaves the applications waiting and reports memory as they grow.
 * Every mode stops the stack and exits by itself.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Command } from 'commander';
import { createStore, type Store } from '../infra/store';
import { keyEntry, newApiKey } from '../client/api/auth';
import { newPayloadKey } from '../infra/payload-codec';
import { workflowIdFor } from '../infra/identity';
import { outboxKeys, parseOutboxKey } from '../infra/outbox-keys';
import { buildReceiver } from './receiver';
import { eachLimited } from '../client/each-limited';
import { academicYearOf, lastWorkingMoment, sampleIin, sampleSubmission } from './samples';
import { freePort } from './ports';
import { baselineDecide } from './bench-baseline';
import { migrateDeploy, startEmbeddedPostgres } from './database';
import { PROJECT_ROOT } from '../infra/paths';
import { startDevServer, stopProcess, waitForPort } from './temporal-server';
import { clusterDatabaseFrom, clusterPorts, startTemporalCluster } from './temporal-cluster';

import { growthTable, summarise } from './heap-top';
import { positive } from './cli-options';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../worker/workflow-code';
import { caseRowCount } from '../infra/case-store';

const options = new Command('bench')
  .option('--applications <n>', 'applications to submit', positive, 200)
  .option('--concurrency <c>', 'requests in flight at once', positive, 16)
  .option('--open-cases', 'leave the applications waiting for a decision and report memory and footprint as they grow')
  .option(
    '--rate <r...>',
    'open loop: submissions arrive at R a second whatever the answers (--applications of them at each rate)',
    (v, previous: number[] = []) => [...previous, ...v.split(',').map(positive)],
  )
  .option('--cluster', 'run Temporal as a cluster of four service processes on the PostgreSQL (npm run start:cluster), not the dev server')
  .option('--max-cached-workflows <n>', "the worker's sticky cache (WORKER_MAX_CACHED_WORKFLOWS)", positive)
  .option('--sqlite-pragma <pragma...>', "the dev server's SQLite pragmas (default: journal_mode=wal synchronous=normal); 'none' for SQLite's own")
  .option('--cpu-prof <dir>', "write the worker's CPU profile (node --cpu-prof) into this folder when it stops")
  .option(
    '--heap-snapshot <dir>',
    "write the worker's heap snapshots into this folder, empty and with the sticky cache full, and print what a cached workflow holds (runs the workflows in the worker's main thread, WORKER_DEBUG_MODE)",
  )
  .option('--json', 'print the figures as JSON')
  .option('--keep', 'keep the data directory')
  .parse()
  .opts<{
    applications: number;
    concurrency: number;
    sqlitePragma?: string[];
    openCases?: boolean;
    rate?: number[];
    maxCachedWorkflows?: number;
    cpuProf?: string;
    heapSnapshot?: string;
    json?: boolean;
    keep?: boolean;
    cluster?: boolean;
  }>();

const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

/** Set when a part of the stack dies: every wait stops with it instead of timing out. */
let fatal: Error | null = null;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30 * 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (fatal) throw fatal;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** CPU seconds and resident memory of a process, from /proc. */
function processUsage(pid: number): { cpuSeconds: number; rssMiB: number } {
  const status = fs.existsSync(`/proc/${pid}/status`) ? fs.readFileSync(`/proc/${pid}/status`, 'utf8') : '';
  if (!/VmRSS:/.test(status)) throw new Error(`the worker process (${pid}) has exited: see worker.log in the data directory (--keep keeps it)`);
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
  return { cpuSeconds: ticks / 100, rssMiB: rss / 1024 };
}

/** Has the worker write a heap snapshot (SIGWINCH, --heapsnapshot-signal: the SDK stops a worker on SIGUSR2) and names it `<label>.heapsnapshot`. */
async function heapSnapshot(worker: ChildProcess, dir: string, label: string): Promise<void> {
  const written = () => new Set(fs.readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')));
  const before = written();
  worker.kill('SIGWINCH');
  let file: string | undefined;
  let size = -1;
  // Written by the worker while it pauses: done when the file has stopped growing.
  await until(
    `the ${label} heap snapshot`,
    async () => {
      file ??= [...written()].find((f) => !before.has(f));
      if (!file) return false;
      const now = fs.statSync(path.join(dir, file)).size;
      const settled = now > 0 && now === size;
      size = now;
      if (settled) await new Promise((r) => setTimeout(r, 2000));
      return settled && fs.statSync(path.join(dir, file)).size === now;
    },
    10 * 60_000,
  );
  fs.renameSync(path.join(dir, file!), path.join(dir, `${label}.heapsnapshot`));
  say(`heap snapshot: ${path.join(dir, `${label}.heapsnapshot`)} (${(size / 2 ** 20).toFixed(0)} MiB)`);
}

function runNode(script: string, env: NodeJS.ProcessEnv, log: string, nodeArgs: readonly string[] = []): ChildProcess {
  const out = fs.openSync(log, 'a');
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(PROJECT_ROOT, script)], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', out, out],
  });
}

async function main() {
  const n = options.applications;
  const c = options.concurrency;
  // Both workers hold the same sticky cache (WORKER_MAX_CACHED_WORKFLOWS, the worker's default unless given).
  const cacheSize = options.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const stops: Array<() => Promise<void>> = [];
  try {
    say(`data in ${dataDir}; ${n} applications, ${c} in flight`);
    const db = await startEmbeddedPostgres(dataDir, await freePort());
    stops.push(db.stop);
    await migrateDeploy(db.url);
    const store: Store = createStore(db.url);
    stops.push(() => store.$disconnect());
    // The baseline runs on the same Temporal, whichever it is.
    const server = options.cluster
      ? await startTemporalCluster({ database: clusterDatabaseFrom(db.url), logDir: path.join(dataDir, 'logs'), ports: await clusterPorts() })
      : await startDevServer({
          dataDir,
          port: await freePort(),
          logFile: path.join(dataDir, 'temporal.log'),
          ...(options.sqlitePragma && { sqlitePragmas: options.sqlitePragma.filter((p) => p !== 'none') }),
        });
    stops.push(server.stop);
    // Temporal's own CPU, summed over its processes (the dev server, or the cluster's four services).
    const temporalCpu = (): Record<string, number> =>
      'services' in server
        ? Object.fromEntries(Object.values(server.services).map((svc) => [svc.name, processUsage(svc.process.pid!).cpuSeconds]))
        : { 'dev server': processUsage(server.process.pid!).cpuSeconds };
    say(
      `Temporal: ${options.cluster ? 'a cluster (history, matching, frontend, worker) on PostgreSQL' : 'the dev server on SQLite'} at ${server.address}`,
    );

    const receiver = buildReceiver(store);
    await receiver.listen({ port: 0, host: '127.0.0.1' });
    stops.push(() => receiver.close());
    const receiverUrl = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}`;
    const apiKey = newApiKey();
    const apiPort = await freePort();
    const env = {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: server.address,
      NOTIFIER_URL: `${receiverUrl}/notifications`,
      MONITORING_URL: `${receiverUrl}/stages`,
      PAYLOAD_KEYS: JSON.stringify({ bench: newPayloadKey() }),
      API_KEYS: JSON.stringify([keyEntry('bench', apiKey)]),
      IDENTITY_SECRET: 'bench',
      PORT: String(apiPort),
      METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
      LOG_LEVEL: 'warn',
      // The bench measures the service, not the limiter: one client sends thousands of requests a minute.
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...(options.maxCachedWorkflows && { WORKER_MAX_CACHED_WORKFLOWS: String(options.maxCachedWorkflows) }),
      // A heap snapshot sees the main thread only; the SDK runs workflows there in debug mode.
      ...(options.heapSnapshot && { WORKER_DEBUG_MODE: '1' }),
    };
    const worker = runNode('worker/main.ts', env, path.join(dataDir, 'worker.log'), [
      ...(options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.cpuProf)}`] : []),
      ...(options.heapSnapshot ? ['--heapsnapshot-signal=SIGWINCH', `--diagnostic-dir=${path.resolve(options.heapSnapshot)}`] : []),
    ]);
    worker.once(
      'exit',
      (code, signal) =>
        (fatal = new Error(`the worker exited (${signal ?? `code ${code}`}): see ${path.join(dataDir, 'worker.log')} (--keep keeps it)`)),
    );
    stops.push(() => stopProcess(worker));
    const api = runNode('client/api-main.ts', env, path.join(dataDir, 'api.log'));
    stops.push(() => stopProcess(api));
    await waitForPort(apiPort, 60_000);
    const base = `http://127.0.0.1:${apiPort}`;
    await until('the worker', async () => (await fetch(`${base}/healthz`)).status === 200, 120_000);

    const submittedAt = lastWorkingMoment().toISOString();
    const latencies: number[] = [];
    const post = async (route: string, body: unknown) => {
      const started = performance.now();
      const r = await fetch(`${base}${route}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      latencies.push(performance.now() - started);
      if (r.status >= 300) throw new Error(`${route}: ${r.status} ${await r.text()}`);
      return (await r.json()) as Record<string, string>;
    };
    if (options.heapSnapshot) {
      fs.mkdirSync(options.heapSnapshot, { recursive: true });
      await heapSnapshot(worker, options.heapSnapshot, 'empty');
    }
    const usageAtStart = processUsage(worker.pid!);
    const temporalAtStart = temporalCpu();
    let peakRss = usageAtStart.rssMiB;
    const sampler = setInterval(() => {
      if (!fatal) peakRss = Math.max(peakRss, processUsage(worker.pid!).rssMiB);
    }, 500);
    // Cleared with the stack in every mode: a live interval kept the process from exiting after --open-cases.
    stops.push(async () => clearInterval(sampler));

    if (options.openCases) {
      await openCases({ n, c, post, store, workerPid: worker.pid!, dataDir, submittedAt, base, apiKey, address: server.address });
      return;
    }
    if (options.rate) {
      await openLoop({ rates: options.rate, n, base, apiKey, store, submittedAt });
      return;
    }

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
    const usageAtEnd = processUsage(worker.pid!);
    const temporalAtEnd = temporalCpu();
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

    const connection = await Connection.connect({ address: server.address });
    stops.push(() => connection.close());
    const client = new Client({ connection });
    const ourShape = await historyShape(client, ids.map(workflowIdFor));

    say('baseline: bare workflows with 7 no-op activities, an update and 2 timers, on the same server, in a worker process of its own');
    const baselineLog = fs.openSync(path.join(dataDir, 'baseline-worker.log'), 'a');
    const baselineWorker = fork(path.join(PROJECT_ROOT, 'devtools', 'bench-baseline-worker.ts'), [], {
      cwd: PROJECT_ROOT,
      execArgv: ['--import', 'tsx'],
      env: { ...env, TEMPORAL_ADDRESS: server.address },
      stdio: ['ignore', baselineLog, baselineLog, 'ipc'],
    });
    let steps = new Array(8).fill(0) as number[];
    let baselineReady = false;
    baselineWorker.on('message', (m: { steps?: number[]; ready?: boolean }) => {
      if (m.steps) steps = m.steps;
      if (m.ready) baselineReady = true;
    });
    const baselineExited = new Promise<void>((resolve) => baselineWorker.once('exit', () => resolve()));
    stops.push(async () => {
      if (baselineWorker.connected) baselineWorker.send({ stop: true });
      const timer = setTimeout(() => baselineWorker.kill('SIGKILL'), 15_000);
      await baselineExited;
      clearTimeout(timer);
    });
    await until('the baseline worker', async () => baselineReady, 120_000);
    const baselineAtStart = processUsage(baselineWorker.pid!);
    const baselineTemporalAtStart = temporalCpu();
    const b0 = Date.now();
    await eachLimited(
      Array.from({ length: n }, (_, i) => i),
      c,
      async (i) => {
        await client.workflow.start('baselineWorkflow', { taskQueue: 'bench-baseline', workflowId: `baseline-${i}` });
      },
    );
    await until('baseline step 3', async () => steps[3] >= n);
    const bWaiting = Date.now();
    await eachLimited(
      Array.from({ length: n }, (_, i) => i),
      c,
      async (i) => {
        await client.workflow.getHandle(`baseline-${i}`).executeUpdate(baselineDecide);
      },
    );
    await until('baseline step 7', async () => steps[7] >= n);
    const bDone = Date.now();
    const baselineAtEnd = processUsage(baselineWorker.pid!);
    const baselineTemporalAtEnd = temporalCpu();
    const perCaseMs = (end: Record<string, number>, start: Record<string, number>) =>
      Object.fromEntries(Object.keys(end).map((k) => [k, ((end[k] - start[k]) * 1000) / n]));
    const baselineShape = await historyShape(
      client,
      Array.from({ length: n }, (_, i) => `baseline-${i}`),
    );

    const ours = n / ((tDone - t0) / 1000);
    const baseline = n / ((bDone - b0) / 1000);
    const figures = {
      applications: n,
      concurrency: c,
      submissionsPerSecond: n / ((tSubmitted - t0) / 1000),
      registrationsPerSecond: n / ((lastRegistration - t0) / 1000),
      completedCasesPerSecond: ours,
      apiLatencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
      submissionToRegistrationMs: { p50: percentile(toRegistration, 50), p99: percentile(toRegistration, 99) },
      decisionToNoticeMs: { p50: percentile(toNotice, 50), p99: percentile(toNotice, 99) },
      decidingSeconds: (tDone - tDecideStart) / 1000,
      workerRssMiB: { start: usageAtStart.rssMiB, peak: peakRss, end: usageAtEnd.rssMiB },
      workerCpuSeconds: usageAtEnd.cpuSeconds - usageAtStart.cpuSeconds,
      workerCpuPerCaseMs: ((usageAtEnd.cpuSeconds - usageAtStart.cpuSeconds) * 1000) / n,
      databaseRowsPerCase: rows / n,
      baselineCompletedCasesPerSecond: baseline,
      baselineToOursRatio: baseline / ours,
      baselineWorkerCpuPerCaseMs: ((baselineAtEnd.cpuSeconds - baselineAtStart.cpuSeconds) * 1000) / n,
      // RSS with a full sticky cache minus the empty worker's, over the workflows the cache holds
      cachedWorkflows: Math.min(n, cacheSize),
      memoryPerCachedWorkflowMiB: (usageAtEnd.rssMiB - usageAtStart.rssMiB) / Math.min(n, cacheSize),
      baselineMemoryPerCachedWorkflowMiB: (baselineAtEnd.rssMiB - baselineAtStart.rssMiB) / Math.min(n, cacheSize),
      historyPerCase: ourShape,
      baselineHistoryPerCase: baselineShape,
      baselineSecondsToWait: (bWaiting - b0) / 1000,
      temporal: options.cluster ? 'cluster' : 'dev server',
      // Temporal's CPU per case by process: what sizing its services starts from (docs/deployment.md)
      temporalCpuPerCaseMs: perCaseMs(temporalAtEnd, temporalAtStart),
      baselineTemporalCpuPerCaseMs: perCaseMs(baselineTemporalAtEnd, baselineTemporalAtStart),
      cores: os.cpus().length,
    };
    if (options.json) console.log(JSON.stringify(figures, null, 2));
    else printTable(figures);
  } finally {
    for (const stop of stops.reverse()) await stop().catch((e: Error) => say(`while stopping: ${e.message}`));
    if (!options.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * What a case's history holds, averaged over (up to) 20 of them: events, workflow tasks, activity tasks. Read
 * where each side has got to at the end of the run (both wait on a long timer by then).
 */
async function historyShape(client: Client, workflowIds: string[]): Promise<{ events: number; workflowTasks: number; activityTasks: number }> {
  const sample = workflowIds.filter((_, i) => i % Math.max(1, Math.floor(workflowIds.length / 20)) === 0).slice(0, 20);
  const totals = { events: 0, workflowTasks: 0, activityTasks: 0 };
  for (const id of sample) {
    const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    totals.events += events.length;
    totals.workflowTasks += events.filter((e) => e.workflowTaskCompletedEventAttributes).length;
    totals.activityTasks += events.filter((e) => e.activityTaskScheduledEventAttributes).length;
  }
  return {
    events: totals.events / sample.length,
    workflowTasks: totals.workflowTasks / sample.length,
    activityTasks: totals.activityTasks / sample.length,
  };
}

/**
 * The open-case run: N applications left waiting for their decision (each with its timer pending); the worker's
 * memory as they grow, and what Temporal and PostgreSQL hold for them.
 */
async function openCases(a: {
  n: number;
  c: number;
  post: (route: string, body: unknown) => Promise<Record<string, string>>;
  store: Store;
  workerPid: number;
  dataDir: string;
  submittedAt: string;
  base: string;
  apiKey: string;
  address: string;
}) {
  // One case in a hundred was submitted four days ago: its decision is overdue, a case for the stuck listing.
  const overdueEvery = 100;
  const fourDaysAgo = new Date(Date.now() - 4 * 86_400_000).toISOString();
  const registered = () => a.store.outboxMessage.count({ where: { key: { startsWith: 'stage:', endsWith: ':under-review' } } });
  const samples: Array<{ open: number; rssMiB: number; seconds: number }> = [];
  const t0 = Date.now();
  const step = Math.max(1, Math.floor(a.n / 10));
  let submitted = 0;
  // A failed submission ends the run with its own error; the sampler must not outlive it and report the
  // worker's exit (the stop that follows) instead, as it once did.
  let failure: Error | null = null;
  const sampling = (async () => {
    for (let next = step; next <= a.n; next += step) {
      await until(
        `${next} open cases`,
        async () => {
          if (failure) throw failure;
          return (await registered()) >= next;
        },
        6 * 3600_000,
      );
      samples.push({ open: next, rssMiB: processUsage(a.workerPid).rssMiB, seconds: (Date.now() - t0) / 1000 });
      say(`${next} open cases (submitted ${submitted}), worker RSS ${samples[samples.length - 1].rssMiB.toFixed(0)} MiB`);
    }
  })();
  const submitting = eachLimited(
    Array.from({ length: a.n }, (_, i) => i),
    a.c,
    async (i) => {
      const submittedAt = i % overdueEvery === 0 ? fourDaysAgo : a.submittedAt;
      await a.post('/applications', sampleSubmission({ iin: sampleIin(100_000 + i * 7), submittedAt, academicYear: academicYearOf(submittedAt) }));
      submitted++;
    },
  ).catch((error: Error) => {
    failure = error;
    throw error;
  });
  await Promise.all([submitting, sampling]);
  const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  const temporalBytes = size(path.join(a.dataDir, 'temporal.db')) + size(path.join(a.dataDir, 'temporal.db-wal'));
  const [{ bytes }] = await a.store.$queryRawUnsafe<Array<{ bytes: bigint }>>('SELECT pg_database_size(current_database()) AS bytes');
  const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
  console.log(`| open cases | worker RSS (MiB) | elapsed (s) |
| ---: | ---: | ---: |`);
  for (const s of samples) console.log(`| ${s.open} | ${s.rssMiB.toFixed(0)} | ${s.seconds.toFixed(0)} |`);
  console.log(
    `\nTemporal (SQLite) ${mib(temporalBytes)} MiB, ${(temporalBytes / a.n / 1024).toFixed(1)} KiB per case; PostgreSQL ${mib(Number(bytes))} MiB, ${(Number(bytes) / a.n / 1024).toFixed(1)} KiB per case`,
  );
  await stuckListing(a);
}

/**
 * The stuck listing over the open cases (issue 17): `GET /support/stuck` as support staff call it, first and last
 * page, against what the former inspector did on every call — describe each running workflow, 8 at a time.
 */
async function stuckListing(a: { n: number; base: string; apiKey: string; address: string }) {
  const expected = Math.ceil(a.n / 100);
  const get = async (query: string) => {
    const started = performance.now();
    const r = await fetch(`${a.base}/support/stuck?${query}`, { headers: { authorization: `Bearer ${a.apiKey}` } });
    if (r.status !== 200) throw new Error(`/support/stuck: ${r.status} ${await r.text()}`);
    return { seconds: (performance.now() - started) / 1000, body: (await r.json()) as { total: number; cases: unknown[] } };
  };
  await until(`${expected} overdue cases listed`, async () => (await get('pageSize=1')).body.total >= expected, 10 * 60_000);
  const rows: Array<[string, number, number, number]> = [];
  for (let i = 0; i < 3; i++) {
    const first = await get('pageSize=50');
    rows.push([`first page (run ${i + 1})`, first.seconds, first.body.total, first.body.cases.length]);
  }
  const last = await get(`pageSize=50&page=${Math.ceil(expected / 50)}`);
  rows.push(['last page', last.seconds, last.body.total, last.body.cases.length]);
  const audited = await get('pageSize=50&audit=states');
  rows.push([
    "first page with the state audit (every running workflow's state against the store)",
    audited.seconds,
    audited.body.total,
    audited.body.cases.length,
  ]);

  const connection = await Connection.connect({ address: a.address });
  const client = new Client({ connection });
  const started = performance.now();
  const running: string[] = [];
  for await (const w of client.workflow.list({ query: "ExecutionStatus = 'Running'", pageSize: 1000 })) running.push(w.workflowId);
  await eachLimited(running, 8, async (id) => void (await client.workflow.getHandle(id).describe()));
  const describeAll = (performance.now() - started) / 1000;
  await connection.close();

  console.log(`\n| stuck listing over ${a.n} open cases | seconds | total | shown |
| --- | ---: | ---: | ---: |`);
  for (const [what, seconds, total, shown] of rows) console.log(`| ${what} | ${seconds.toFixed(2)} | ${total} | ${shown} |`);
  console.log(`| the former way: describe each of ${running.length} running workflows | ${describeAll.toFixed(2)} | | |`);
  console.log(`\nratio, the former way / the first page: ${(describeAll / rows[0][1]).toFixed(1)}×`);
}

/**
 * Open loop: at each rate, `n` submissions sent on a fixed schedule (R a second), none waiting for the answer to
 * another, as arrivals from a national portal come; the API's latency, and how long each took to register.
 */
async function openLoop(a: { rates: number[]; n: number; base: string; apiKey: string; store: Store; submittedAt: string }) {
  const rows: Array<Record<string, number>> = [];
  let serial = 0;
  for (const rate of a.rates) {
    say(`open loop: ${a.n} submissions at ${rate}/s`);
    const latencies: number[] = [];
    const sentAt = new Map<string, number>();
    let refused = 0;
    const answers: Array<Promise<void>> = [];
    const start = performance.now();
    for (let i = 0; i < a.n; i++) {
      const wait = start + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const iin = sampleIin(500_000 + serial++ * 7);
      const sent = Date.now();
      const t = performance.now();
      answers.push(
        fetch(`${a.base}/applications`, {
          method: 'POST',
          headers: { authorization: `Bearer ${a.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(sampleSubmission({ iin, submittedAt: a.submittedAt, academicYear: academicYearOf(a.submittedAt) })),
        }).then(async (r) => {
          latencies.push(performance.now() - t);
          if (r.status !== 202) return void refused++;
          sentAt.set(((await r.json()) as { applicationId: string }).applicationId, sent);
        }),
      );
    }
    const offeredSeconds = (performance.now() - start) / 1000;
    await Promise.all(answers);
    const keys = [...sentAt.keys()].map((id) => outboxKeys.stage(id, 'under-review'));
    await until(
      `${keys.length} registrations at ${rate}/s`,
      async () => (await a.store.outboxMessage.count({ where: { key: { in: keys } } })) >= keys.length,
    );
    const stages = await a.store.outboxMessage.findMany({ where: { key: { in: keys } }, select: { key: true, createdAt: true } });
    const toRegistration = stages.map((m) => m.createdAt.getTime() - sentAt.get(parseOutboxKey(m.key).caseId)!);
    rows.push({
      rate,
      achieved: a.n / offeredSeconds,
      refused,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      registration50: percentile(toRegistration, 50),
      registration99: percentile(toRegistration, 99),
    });
  }
  if (options.json) return void console.log(JSON.stringify({ applicationsPerRate: a.n, cores: os.cpus().length, rates: rows }, null, 2));
  console.log(`| offered /s | sent /s | refused | API p50 / p95 / p99 (ms) | submission → registration p50 / p99 (ms) |
| ---: | ---: | ---: | ---: | ---: |`);
  for (const r of rows) {
    console.log(
      `| ${r.rate} | ${r.achieved.toFixed(1)} | ${r.refused} | ${r.p50.toFixed(0)} / ${r.p95.toFixed(0)} / ${r.p99.toFixed(0)} | ${r.registration50.toFixed(0)} / ${r.registration99.toFixed(0)} |`,
    );
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench's figures, printed as they come
function printTable(f: Record<string, any>) {
  const r = (x: number, d = 1) => x.toFixed(d);
  const lines: Array<[string, string]> = [
    ['applications × concurrency', `${f.applications} × ${f.concurrency} (${f.cores} cores; Temporal: ${f.temporal})`],
    ['submissions/s (API accepted)', r(f.submissionsPerSecond)],
    ['registrations/s (under review)', r(f.registrationsPerSecond)],
    ['completed cases/s (notice delivered)', r(f.completedCasesPerSecond)],
    ['API latency p50 / p95 / p99', `${r(f.apiLatencyMs.p50)} / ${r(f.apiLatencyMs.p95)} / ${r(f.apiLatencyMs.p99)} ms`],
    ['submission → registration p50 / p99', `${r(f.submissionToRegistrationMs.p50, 0)} / ${r(f.submissionToRegistrationMs.p99, 0)} ms`],
    ['decision → notice p50 / p99', `${r(f.decisionToNoticeMs.p50, 0)} / ${r(f.decisionToNoticeMs.p99, 0)} ms`],
    ['worker RSS start / peak / end', `${r(f.workerRssMiB.start)} / ${r(f.workerRssMiB.peak)} / ${r(f.workerRssMiB.end)} MiB`],
    ['worker CPU', `${r(f.workerCpuSeconds)} s (${r(f.workerCpuPerCaseMs)} ms per case)`],
    ['database rows written per case', r(f.databaseRowsPerCase, 2)],
    ['baseline completed cases/s', r(f.baselineCompletedCasesPerSecond)],
    ['our cost per case vs baseline', `${r(f.baselineToOursRatio, 2)}×`],
  ];
  // Ours, the baseline's and the ratio, measured the same way on both sides.
  const side = (label: string, ours: number, base: number, d = 1) =>
    lines.push([`${label}: ours / baseline`, `${r(ours, d)} / ${r(base, d)} (${r(ours / base, 2)}×)`]);
  side('completed cases/s', f.completedCasesPerSecond, f.baselineCompletedCasesPerSecond);
  side('worker CPU per case (ms)', f.workerCpuPerCaseMs, f.baselineWorkerCpuPerCaseMs);
  side(`memory per cached workflow (MiB, ${f.cachedWorkflows} cached)`, f.memoryPerCachedWorkflowMiB, f.baselineMemoryPerCachedWorkflowMiB, 2);
  side('workflow tasks per case', f.historyPerCase.workflowTasks, f.baselineHistoryPerCase.workflowTasks);
  side('activity tasks per case', f.historyPerCase.activityTasks, f.baselineHistoryPerCase.activityTasks);
  side('history events per case', f.historyPerCase.events, f.baselineHistoryPerCase.events);
  const temporalTotal = (x: Record<string, number>) => Object.values(x).reduce((a, b) => a + b, 0);
  side('Temporal CPU per case (ms)', temporalTotal(f.temporalCpuPerCaseMs), temporalTotal(f.baselineTemporalCpuPerCaseMs));
  if (Object.keys(f.temporalCpuPerCaseMs).length > 1) {
    for (const name of Object.keys(f.temporalCpuPerCaseMs)) {
      side(`  of which its ${name} service`, f.temporalCpuPerCaseMs[name], f.baselineTemporalCpuPerCaseMs[name]);
    }
  }
  const width = Math.max(...lines.map(([k]) => k.length));
  console.log(lines.map(([k, v]) => `| ${k.padEnd(width)} | ${v} |`).join('\n'));
}

// Exits when done, whatever handle a library leaves open: a bench that hangs after its table is no bench.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
