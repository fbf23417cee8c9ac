/** The bench's table: ours, the baseline's and their ratio, measured the same way on both sides. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench's figures, printed as they come
export function printTable(f: Record<string, any>) {
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
    ['store statements per case (of them writes)', `${r(f.storeStatementsPerCase)} (${r(f.storeWritesPerCase)})`],
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
