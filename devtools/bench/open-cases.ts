/** `--open-cases`: applications left waiting, the worker's memory as they grow, and the stuck listing over them. */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { eachLimited } from '../../client/each-limited';
import type { Store } from '../../infra/store';
import { academicYearOf, sampleIin, sampleSubmission } from '../samples';
import { processUsage, say, until } from './measure';

/**
 * The open-case run: N applications left waiting for their decision (each with its timer pending); the worker's
 * memory as they grow, and what Temporal and PostgreSQL hold for them.
 */
export async function openCases(a: {
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
