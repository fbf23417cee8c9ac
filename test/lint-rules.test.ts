/**
 * The layout's rules are the linter's (issue 29): a new file that reads a case table outside the case store, an
 * import against the README's arrows, and an import circle each fail ESLint, with the rule that says why. The
 * probes are written into the tree for the run (the type-aware lint reads files of the project) and removed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const written: string[] = [];

function probe(relative: string, text: string): string {
  const file = path.join(ROOT, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  written.push(file);
  return file;
}

afterAll(() => {
  for (const file of written) fs.rmSync(file, { force: true });
  for (const dir of new Set(written.map((f) => path.dirname(f)))) if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
});

/** ESLint as `npm run lint` runs it (its own process: the config is an ES module), on the files given. */
async function problems(files: string[]): Promise<Array<{ file: string; rule: string | null; message: string }>> {
  const run = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'eslint'), ['--format', 'json', ...files], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint failed to run: ${run.stderr}`);
  const results = JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; message: string }> }>;
  return results.flatMap((r) => r.messages.map((m) => ({ file: path.relative(ROOT, r.filePath), rule: m.ruleId, message: m.message })));
}

test('a case table read outside infra/case-store/ fails the lint, by Prisma or by SQL; the same read inside it passes', async () => {
  const outside = probe(
    'client/lint-probe/reads-a-table.ts',
    `import type { Store } from '../../infra/store';
export const count = (store: Store) => store.application.count();
export const raw = (store: Store) => store.$queryRaw\`SELECT id FROM "Complaint"\`;
`,
  );
  const inside = probe(
    'infra/case-store/lint-probe.ts',
    `import type { Store } from '../store';
export const count = (store: Store) => store.application.count();
`,
  );
  const found = await problems([outside, inside]);
  expect(found.filter((p) => p.rule === 'no-restricted-syntax').map((p) => [p.file, p.message])).toEqual([
    ['client/lint-probe/reads-a-table.ts', expect.stringContaining('through infra/case-store/ only')],
    ['client/lint-probe/reads-a-table.ts', expect.stringContaining('SQL included')],
  ]);
  expect(found.filter((p) => p.file.startsWith('infra/'))).toEqual([]);
}, 120_000);

test('an import against the arrows fails the lint; the messages the API sends through are the one way into workflows/', async () => {
  const upward = probe('infra/lint-probe-upward.ts', `export { createActivities } from '../activities';\n`);
  const intoWorkflows = probe(
    'client/lint-probe/into-workflows.ts',
    `export { applicationWorkflow } from '../../workflows/application';\nexport { statusQuery } from '../../workflows/messages';\n`,
  );
  const found = await problems([upward, intoWorkflows]);
  expect(found.filter((p) => p.rule === 'import-x/no-restricted-paths').map((p) => [p.file, p.message])).toEqual([
    ['client/lint-probe/into-workflows.ts', expect.stringContaining('client/ does not import workflows/')],
    ['infra/lint-probe-upward.ts', expect.stringContaining('infra/ does not import activities/')],
  ]);
}, 120_000);

test('an import circle fails the lint', async () => {
  const a = probe('domain/lint-probe/a.ts', `import { b } from './b';\nexport const a = () => b();\n`);
  const b = probe('domain/lint-probe/b.ts', `import { a } from './a';\nexport const b = (): unknown => a;\n`);
  const found = await problems([a, b]);
  expect(found.filter((p) => p.rule === 'import-x/no-cycle').map((p) => p.file)).toEqual(['domain/lint-probe/a.ts', 'domain/lint-probe/b.ts']);
}, 120_000);
