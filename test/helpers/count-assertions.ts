/**
 * Counts the assertions each test ran (jest's own count, `expect.getState().assertionCalls`) into
 * ASSERTIONS_FILE, one line per test, for the closing summary (devtools/test-summary.cjs): a run on another day
 * (TEST_NOW) must run as many as a run on a weekday morning, or some assertion only runs on some days (issue 28).
 */
import fs from 'node:fs';

const file = process.env.ASSERTIONS_FILE;

if (file) {
  afterEach(() => {
    const { assertionCalls, currentTestName, testPath } = expect.getState();
    fs.appendFileSync(file, `${JSON.stringify({ test: `${testPath?.split('/test/').pop()} › ${currentTestName}`, assertions: assertionCalls })}\n`);
  });
}
