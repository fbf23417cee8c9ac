/**
 * The alert rules (issue 36), checked with the real Prometheus's `promtool` (Debian's package, devtools/tools.ts):
 * the rules and the compose configuration are valid, every alert's unit tests pass, every alert is tested, names a
 * runbook entry that exists, and watches series the service exports. That a real Prometheus scraping a running
 * worker fires them is test/operations.e2e.test.ts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ensurePrometheus } from '../devtools/tools';

const RULES_DIR = path.join(__dirname, '..', 'infra', 'prometheus');
const read = (file: string) => fs.readFileSync(path.join(RULES_DIR, file), 'utf8');

interface Rule {
  alert: string;
  expr: string;
  labels: { severity: string };
  annotations: { summary: string; runbook: string };
}
const rules = (parse(read('alerts.yml')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);

function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync(ensurePrometheus().promtool, args, { cwd: RULES_DIR, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test('promtool finds the rules and the configuration valid', () => {
  const rulesChecked = promtool('check', 'rules', 'alerts.yml');
  expect(rulesChecked).toMatchObject({ status: 0, output: expect.stringContaining(`SUCCESS: ${rules.length} rules found`) });
  const configChecked = promtool('check', 'config', 'prometheus.yml');
  expect(configChecked).toMatchObject({ status: 0, output: expect.stringContaining('is valid prometheus config file syntax') });
});

test("every alert's unit tests pass (promtool test rules)", () => {
  const tested = promtool('test', 'rules', 'alerts.test.yml');
  expect(tested.output).toContain('SUCCESS');
  expect(tested.status).toBe(0);
});

test('every alert is tested firing, with a severity and a runbook entry that exists', () => {
  const cases = (parse(read('alerts.test.yml')) as { tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }> }).tests
    .flatMap((t) => t.alert_rule_test)
    .filter((t) => t.exp_alerts.length > 0);
  const runbook = fs.readFileSync(path.join(__dirname, '..', 'docs', 'runbook.md'), 'utf8');
  // GitHub's anchors of the runbook's headings
  const anchors = new Set(
    [...runbook.matchAll(/^## (.+)$/gm)].map((m) =>
      m[1]
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    ),
  );
  expect(rules.length).toBeGreaterThanOrEqual(16);
  for (const rule of rules) {
    expect({ alert: rule.alert, firesInATest: cases.some((c) => c.alertname === rule.alert) }).toEqual({ alert: rule.alert, firesInATest: true });
    expect({ alert: rule.alert, severity: rule.labels.severity }).toEqual({ alert: rule.alert, severity: expect.stringMatching(/^(page|ticket)$/) });
    const [file, anchor] = rule.annotations.runbook.split('#');
    expect({ alert: rule.alert, file, anchorExists: anchors.has(anchor) }).toEqual({
      alert: rule.alert,
      file: 'docs/runbook.md',
      anchorExists: true,
    });
  }
});

test("the rules watch the service's own series by the names it exports", () => {
  const source = ['worker/case-gauges.ts', 'worker/certificate-metrics.ts', 'workflows/metrics.ts', 'client/api/metrics.ts']
    .map((f) => fs.readFileSync(path.join(__dirname, '..', f), 'utf8'))
    .join('\n');
  // a histogram's series are its name with _bucket, _sum and _count
  const ours = new Set(rules.flatMap((r) => [...r.expr.matchAll(/\battestation_[a-z_]+/g)].map((m) => m[0].replace(/_bucket$/, ''))));
  expect(ours.size).toBeGreaterThanOrEqual(5);
  for (const name of ours) expect({ name, exported: source.includes(`'${name}'`) }).toEqual({ name, exported: true });
  // The SDK's series by their names in Temporal's Core (its Prometheus exporter adds the `temporal_` prefix).
  const sdk = new Set(rules.flatMap((r) => [...r.expr.matchAll(/\btemporal_([a-z_]+)/g)].map((m) => m[1])));
  const core = fs.readFileSync(
    path.join(__dirname, '..', 'node_modules', '@temporalio', 'core-bridge', 'sdk-core', 'crates', 'sdk-core', 'src', 'telemetry', 'metrics.rs'),
    'utf8',
  );
  for (const name of sdk) expect({ name, inCore: core.includes(`"${name}"`) }).toEqual({ name, inCore: true });
});

test('docker compose runs a Prometheus with these rules over the job they name', () => {
  const compose = parse(fs.readFileSync(path.join(__dirname, '..', 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { image?: string; volumes?: string[] }>;
  };
  expect(compose.services.prometheus.volumes).toContain('./infra/prometheus:/etc/prometheus:ro');
  const version = /promtool, version ([0-9.]+)/.exec(promtool('--version').output)?.[1];
  expect(compose.services.prometheus.image).toBe(`prom/prometheus:v${version}`);
  const config = parse(read('prometheus.yml')) as { rule_files: string[]; scrape_configs: Array<{ job_name: string }> };
  expect(config.rule_files).toEqual(['alerts.yml']);
  expect(config.scrape_configs.map((c) => c.job_name)).toEqual(['attestation-worker', 'attestation-api']);
  expect(rules.find((r) => r.alert === 'AttestationWorkerDown')!.expr).toContain('job="attestation-worker"');
});
