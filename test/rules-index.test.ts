/**
 * docs/rules.md stays true: every function it names is defined in the file it names, every test file it names
 * exists and cites the rule in a test's name, and every rule R1–R14 has a row.
 */
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');
const rows = fs
  .readFileSync(path.join(root, 'docs', 'rules.md'), 'utf8')
  .split('\n')
  .filter((l) => /^\| R\d+ \|/.test(l))
  .map((l) => {
    const [, rule, , enforcedBy, provedBy] = l.split('|').map((c) => c.trim());
    return { rule, enforcedBy, provedBy };
  });

test('every rule of the standard has a row', () => {
  expect(rows.map((r) => r.rule)).toEqual(Array.from({ length: 14 }, (_, i) => `R${i + 1}`));
});

test.each(rows.map((r) => [r.rule, r] as const))('%s: the functions it names are defined where it says', (_rule, row) => {
  for (const [, file, symbol] of row.enforcedBy.matchAll(/`([\w/.-]+\.ts)#(\w+)`/g)) {
    const source = fs.readFileSync(path.join(root, file), 'utf8');
    expect([file, symbol, new RegExp(`(?:function|class|const|let)\\s+${symbol}\\b|^\\s+${symbol}\\(`, 'm').test(source)]).toEqual([
      file,
      symbol,
      true,
    ]);
  }
});

test.each(rows.filter((r) => r.provedBy !== '—').map((r) => [r.rule, r] as const))('%s: the tests it names exist and cite it', (rule, row) => {
  const files = [...row.provedBy.matchAll(/`(test\/[\w.-]+\.ts)`/g)].map((m) => m[1]);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const source = fs.readFileSync(path.join(root, file), 'utf8');
    // in a test's or a describe's name, or in a row of a test.each table
    const cites = new RegExp(`^\\s*(?:(?:test|it|describe)(?:\\.each)?\\(|\\[)\\s*['"\`][^\\n]*\\b${rule}\\b`, 'm');
    expect([file, cites.test(source)]).toEqual([file, true]);
  }
});
