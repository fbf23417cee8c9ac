// Prints jest's result as one plain closing line ("jest: N passed, N failed, M assertions"), for CI logs that read
// it; with a second file (ASSERTIONS_FILE of test/helpers/count-assertions.ts) the assertions run, in all.
const fs = require('node:fs');
const [file, assertionsFile] = process.argv.slice(2);
if (!fs.existsSync(file)) process.exit(0);
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
let assertions = '';
if (assertionsFile && fs.existsSync(assertionsFile)) {
  const lines = fs
    .readFileSync(assertionsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  assertions = `, ${lines.reduce((sum, l) => sum + l.assertions, 0)} assertions in ${lines.length} tests`;
}
console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed${r.numPendingTests ? `, ${r.numPendingTests} skipped` : ''}${assertions}`);
