/**
 * The top of a CPU profile by self time (issue 19): `node --cpu-prof` profiles, as `bench --cpu-prof DIR` writes
 * them for the worker (one per thread: the main thread runs the activities, a worker thread the workflows).
 *
 *   npm run profile-top -- DIR/*.cpuprofile [--top 15] [--by package]
 *
 * By package, the busy samples (idle left out) are summed by where the code lives: an npm package, Node's own
 * modules, WebAssembly (in the worker's main thread, Prisma's query compiler), or a folder of the project.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { positive } from './cli-options';
import { PROJECT_ROOT } from '../infra/paths';

interface CpuProfile {
  nodes: { id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
}

type CallFrame = CpuProfile['nodes'][number]['callFrame'];
export type Grouping = 'function' | 'package';

/** A function: its name, file and line. */
function functionOf(frame: CallFrame): string {
  const where = frame.url ? ` ${frame.url.replace(/^.*\/(node_modules\/)?/, '')}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'}${where}`;
}

/** Where a function's code lives: its npm package, Node's module, WebAssembly, the project's folder, or its script. */
function packageOf(frame: CallFrame): string {
  const { url } = frame;
  const inPackage = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1];
  if (url.startsWith('wasm://')) return '(WebAssembly)';
  if (url.startsWith('node:')) return `node:${url.slice('node:'.length).split('/')[0]}`;
  const file = url.replace(/^file:\/\//, '');
  const inProject = path.isAbsolute(file) ? path.relative(PROJECT_ROOT, file) : '..';
  if (!inProject.startsWith('..')) {
    const [top, ...rest] = inProject.split(path.sep);
    return rest.length > 0 ? `${top}/` : top; // a folder of the project, or a file at its root (the workflow bundle)
  }
  // Code without a file of its own (a vm script) by its name; native frames by theirs.
  return url || frame.functionName || '(anonymous)';
}

/**
 * Self samples by function or by package, with the profile's total; by package the idle samples are left out,
 * so the shares are of the thread's busy time.
 */
export function selfTime(file: string, by: Grouping = 'function'): { total: number; groups: Map<string, number> } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const groups = new Map<string, number>();
  let total = 0;
  for (const { hitCount = 0, callFrame } of profile.nodes) {
    if (by === 'package' && callFrame.functionName === '(idle)') continue;
    total += hitCount;
    const key = by === 'package' ? packageOf(callFrame) : functionOf(callFrame);
    groups.set(key, (groups.get(key) ?? 0) + hitCount);
  }
  return { total, groups };
}

export function profileTable(file: string, top: number, by: Grouping = 'function'): string {
  const { total, groups } = selfTime(file, by);
  const rows = [...groups].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `${path.basename(file)}: ${total} ${by === 'package' ? 'busy ' : ''}samples`,
    '',
    `| self time | ${by} |`,
    '| ---: | --- |',
    ...rows.map(([key, hits]) => `| ${((100 * hits) / total).toFixed(1)}% | ${key.replaceAll('|', '\\|')} |`),
    '',
  ].join('\n');
}

if (require.main === module) {
  const command = new Command('profile-top')
    .argument('<profiles...>', '.cpuprofile files')
    .option('--top <n>', 'rows per profile', positive, 15)
    .addOption(
      new Option('--by <grouping>', 'sum self time by function, or by package (busy time only)').choices(['function', 'package']).default('function'),
    )
    .parse();
  const { top, by } = command.opts<{ top: number; by: Grouping }>();
  for (const file of command.args) process.stdout.write(`${profileTable(file, top, by)}\n`);
}
