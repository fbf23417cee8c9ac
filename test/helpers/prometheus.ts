/**
 * A real Prometheus (Debian's, devtools/tools.ts) for the end-to-end test of the alert rules (issue 36): the shipped
 * configuration (infra/prometheus/prometheus.yml) and rules, scraping the test's processes each second instead of
 * compose's (`targets` by the shipped configuration's job names; a job not given scrapes nothing).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ensurePrometheus } from '../../devtools/tools';
import { freePort } from './ports';

const RULES_DIR = path.join(__dirname, '..', '..', 'infra', 'prometheus');

export interface FiringAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
}

export interface RunningPrometheus {
  url: string;
  alerts(): Promise<FiringAlert[]>;
  /** the rules as Prometheus evaluated them last: each with its health and its last error, if any */
  ruleHealth(): Promise<Array<{ name: string; health: string; lastError?: string }>>;
  stop(): Promise<void>;
}

export async function startPrometheus(dataDir: string, targets: Record<string, string[]>): Promise<RunningPrometheus> {
  const { prometheus } = ensurePrometheus();
  const port = await freePort();
  const config = parse(fs.readFileSync(path.join(RULES_DIR, 'prometheus.yml'), 'utf8')) as {
    global: object;
    rule_files: string[];
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
  };
  config.global = { scrape_interval: '1s', evaluation_interval: '1s' };
  config.rule_files = config.rule_files.map((f) => path.join(RULES_DIR, f));
  for (const job of config.scrape_configs) job.static_configs = [{ targets: targets[job.job_name] ?? [] }];
  const dir = path.join(dataDir, `prometheus-${port}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), stringify(config));
  const child = spawn(
    prometheus,
    [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${log}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`prometheus was not ready in a minute: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const api = async <T>(route: string): Promise<T> => ((await (await fetch(`${url}/api/v1/${route}`)).json()) as { data: T }).data;
  return {
    url,
    alerts: async () => (await api<{ alerts: FiringAlert[] }>('alerts')).alerts,
    ruleHealth: async () =>
      (await api<{ groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> }>('rules')).groups.flatMap((g) => g.rules),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
