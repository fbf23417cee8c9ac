/**
 * The top of a heap by what holds it (issue 19): V8 heap snapshots summed by constructor (or closure, string,
 * code…), and the growth between two snapshots of one process spread over what it grew by. The bench writes the
 * worker's snapshots with `--heap-snapshot DIR` (empty, then with a full sticky cache); this prints their top:
 *
 *   npm run heap-top -- DIR/empty.heapsnapshot DIR/full.heapsnapshot --per 250
 */
import fs from 'node:fs';
import { Command } from 'commander';
import { positive } from './cli-options';

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Self size by kind of object, e.g. `object Internals` or `closure init`, in bytes; and how many of each. */
export type HeapSummary = Map<string, { bytes: number; count: number }>;

export function summarise(file: string): HeapSummary {
  const size = fs.statSync(file).size;
  // One string in V8 holds at most 2^29 characters; a larger snapshot is from a larger heap than this needs.
  if (size >= 2 ** 29) throw new Error(`${file} is ${(size / 2 ** 20).toFixed(0)} MiB: take it with a smaller sticky cache`);
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8')) as HeapSnapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [type, name, selfSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const summary: HeapSummary = new Map();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const kind = types[snapshot.nodes[i + type]];
    // Strings and code by their kind alone: their "name" is their content.
    const key = kind === 'object' || kind === 'closure' ? `${kind} ${snapshot.strings[snapshot.nodes[i + name]]}` : kind;
    const entry = summary.get(key) ?? { bytes: 0, count: 0 };
    entry.bytes += snapshot.nodes[i + selfSize];
    entry.count += 1;
    summary.set(key, entry);
  }
  return summary;
}

/** The kinds that grew most from `before` to `after`, per one of `per` (a cached workflow, say). */
export function topGrowth(before: HeapSummary, after: HeapSummary, per: number, top = 15) {
  const rows = [...after].map(([kind, a]) => {
    const b = before.get(kind) ?? { bytes: 0, count: 0 };
    return { kind, bytes: (a.bytes - b.bytes) / per, count: (a.count - b.count) / per };
  });
  const total = rows.reduce((sum, r) => sum + r.bytes, 0);
  return { total, rows: rows.sort((x, y) => y.bytes - x.bytes).slice(0, top) };
}

export function growthTable(before: HeapSummary, after: HeapSummary, per: number, what: string): string {
  const { total, rows } = topGrowth(before, after, per);
  return [
    `| heap per ${what} (self size, ${per} of them) | KiB | objects |`,
    '| --- | ---: | ---: |',
    `| all | ${(total / 1024).toFixed(1)} | |`,
    ...rows.map((r) => `| ${r.kind.replaceAll('|', '\\|').slice(0, 60)} | ${(r.bytes / 1024).toFixed(1)} | ${r.count.toFixed(1)} |`),
    '',
  ].join('\n');
}

if (require.main === module) {
  const command = new Command('heap-top')
    .argument('<before>', 'the snapshot taken first (the empty worker)')
    .argument('<after>', 'the snapshot taken later (the full cache)')
    .option('--per <n>', 'what the heap grew by between them (cached workflows)', positive, 1)
    .parse();
  const [before, after] = command.args;
  process.stdout.write(growthTable(summarise(before), summarise(after), command.opts<{ per: number }>().per, 'cached workflow'));
}
