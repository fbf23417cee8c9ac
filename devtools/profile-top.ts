/**
 * The top of a CPU profile by self time (issue 19): `node --cpu-prof` profiles, as `bench --cpu-prof DIR` writes
 * them for the worker (one per thread: the main thread runs the activities, a worker thread the workflows).
 *
 *   npm run profile-top -- DIR/*.cpuprofile [--top 15]
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { positive } from './cli-options';

interface CpuProfile {
  nodes: { id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
}

/** Self samples by function (its name, file and line), with the profile's total. */
export function selfTime(file: string): { total: number; byFunction: Map<string, number> } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const { hitCount = 0, callFrame } of profile.nodes) {
    total += hitCount;
    const where = callFrame.url ? ` ${callFrame.url.replace(/^.*\/(node_modules\/)?/, '')}:${callFrame.lineNumber + 1}` : '';
    const key = `${callFrame.functionName || '(anonymous)'}${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hitCount);
  }
  return { total, byFunction };
}

export function profileTable(file: string, top: number): string {
  const { total, byFunction } = selfTime(file);
  const rows = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `${path.basename(file)}: ${total} samples`,
    '',
    '| self time | function |',
    '| ---: | --- |',
    ...rows.map(([key, hits]) => `| ${((100 * hits) / total).toFixed(1)}% | ${key.replaceAll('|', '\\|')} |`),
    '',
  ].join('\n');
}

if (require.main === module) {
  const command = new Command('profile-top')
    .argument('<profiles...>', '.cpuprofile files')
    .option('--top <n>', 'rows per profile', positive, 15)
    .parse();
  for (const file of command.args) process.stdout.write(`${profileTable(file, command.opts<{ top: number }>().top)}\n`);
}
