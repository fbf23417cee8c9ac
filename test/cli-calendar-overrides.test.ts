/**
 * The operators' calendar overrides through the CLI, on a real PostgreSQL (issue 35): a wrong override is corrected
 * or removed by a command, the next computed deadline follows, and every change is kept with who made it and why.
 */
import { cli } from './helpers/cli';
import { startTestDatabase, type TestDatabase } from './helpers/service';

let database: TestDatabase;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  database = await startTestDatabase('attestation-overrides-');
  env = { DATABASE_URL: database.db.url };
});
afterAll(async () => {
  await database?.stop();
});

// Monday 2 March 2026 is a working day in the shipped calendar; the deadline of one working day after Friday
// 27 February is that Monday's close.
const FRIDAY = '2026-02-27T10:00:00+05:00';
const deadline = () => cli(['calendar', 'deadline', FRIDAY, '1', '--overrides'], { env });

test('an override removed by the command changes the next computed deadline, and the history keeps it', () => {
  expect(deadline().stdout).toBe('2026-03-02T18:30:00+05:00\n');

  const added = cli(
    [
      'calendar',
      'add-override',
      '--date',
      '2026-03-02',
      '--kind',
      'day-off',
      '--basis',
      'Order No. 1 of 2026-02-01 (typed by mistake)',
      '--by',
      'A. Operator',
    ],
    { env },
  );
  expect(added).toMatchObject({ status: 0, stderr: '' });
  // The wrong day off moves the deadline to Tuesday.
  expect(deadline().stdout).toBe('2026-03-03T18:30:00+05:00\n');
  // Adding the same date again is refused with the way out, not a database error.
  const twice = cli(['calendar', 'add-override', '--date', '2026-03-02', '--kind', 'working-day', '--basis', 'Order No. 2 of 2026', '--by', 'B'], {
    env,
  });
  expect(twice.status).not.toBe(0);
  expect(twice.stderr).toMatch(/already has an override; correct it \(calendar correct-override\) or remove it first/);

  const corrected = cli(
    [
      'calendar',
      'correct-override',
      '--date',
      '2026-03-02',
      '--basis',
      'Order No. 1 of 2026-02-01',
      '--by',
      'B. Checker',
      '--why',
      'basis misquoted',
    ],
    { env },
  );
  expect(corrected).toMatchObject({ status: 0, stderr: '' });
  expect(corrected.stdout).toMatch(/^corrected: 2026-03-02 day-off \(Order No\. 1 of 2026-02-01\)/);

  const removed = cli(
    ['calendar', 'remove-override', '--date', '2026-03-02', '--by', 'B. Checker', '--why', 'no such order: the day is a working day'],
    { env },
  );
  expect(removed).toMatchObject({ status: 0, stderr: '' });
  expect(removed.stdout).toMatch(/^removed: 2026-03-02 is a working day again/);
  expect(deadline().stdout).toBe('2026-03-02T18:30:00+05:00\n');
  expect(cli(['calendar', 'overrides'], { env }).stdout).toBe('');

  const history = cli(['calendar', 'override-history', '--date', '2026-03-02'], { env }).stdout.trim().split('\n');
  expect(history.map((line) => line.split('  ').slice(1, 3))).toEqual([
    ['2026-03-02', 'added'],
    ['2026-03-02', 'corrected'],
    ['2026-03-02', 'removed'],
  ]);
  expect(history[1]).toMatch(
    / by B\. Checker: basis misquoted {2}\(was \{.*"basis":"Order No\. 1 of 2026-02-01 \(typed by mistake\)".*"addedBy":"A\. Operator"/,
  );
  expect(history[2]).toMatch(/by B\. Checker: no such order: the day is a working day/);
});

test('a change of a date without an override is refused, naming the date; nothing is written', () => {
  const removed = cli(['calendar', 'remove-override', '--date', '2026-05-04', '--by', 'A', '--why', 'x'], { env });
  expect(removed.status).not.toBe(0);
  expect(removed.stderr).toMatch(/not removed: 2026-05-04 has no override to remove/);
  const corrected = cli(['calendar', 'correct-override', '--date', '2026-05-04', '--kind', 'day-off', '--by', 'A', '--why', 'x'], { env });
  expect(corrected.stderr).toMatch(/not corrected: 2026-05-04 has no override to correct/);
  expect(cli(['calendar', 'override-history', '--date', '2026-05-04'], { env }).stdout).toBe('');
});
