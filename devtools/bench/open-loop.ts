/** `--rate R[,R…]`: submissions on a fixed schedule, whatever the answers; the API's latency and submission → registration. */
import os from 'node:os';
import type { Store } from '../../infra/store';
import { outboxKeys, parseOutboxKey } from '../../infra/outbox-keys';
import { academicYearOf, sampleIin, sampleSubmission } from '../samples';
import { percentile, say, until } from './measure';

/**
 * Open loop: at each rate, `n` submissions sent on a fixed schedule (R a second), none waiting for the answer to
 * another, as arrivals from a national portal come; the API's latency, and how long each took to register.
 */
export async function openLoop(a: { rates: number[]; n: number; base: string; apiKey: string; store: Store; submittedAt: string; json?: boolean }) {
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
  if (a.json) return void console.log(JSON.stringify({ applicationsPerRate: a.n, cores: os.cpus().length, rates: rows }, null, 2));
  console.log(`| offered /s | sent /s | refused | API p50 / p95 / p99 (ms) | submission → registration p50 / p99 (ms) |
| ---: | ---: | ---: | ---: | ---: |`);
  for (const r of rows) {
    console.log(
      `| ${r.rate} | ${r.achieved.toFixed(1)} | ${r.refused} | ${r.p50.toFixed(0)} / ${r.p95.toFixed(0)} / ${r.p99.toFixed(0)} | ${r.registration50.toFixed(0)} / ${r.registration99.toFixed(0)} |`,
    );
  }
}
