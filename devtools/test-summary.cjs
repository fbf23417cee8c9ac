// Prints jest's result as one plain closing line ("jest: N passed, N failed"), for CI logs that read it.
const fs = require('node:fs');
const file = process.argv[2];
if (!fs.existsSync(file)) process.exit(0);
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed${r.numPendingTests ? `, ${r.numPendingTests} skipped` : ''}`);
