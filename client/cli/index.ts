/**
 * The operator/support CLI: `npm run --silent cli -- <command>`. Application commands talk to the HTTP API
 * (API_URL, default http://localhost:3000, with API_KEY or the development key of `npm start`); calendar commands
 * answer from the shipped calendar data without any server, and read or write the database overrides only when
 * asked (DATABASE_URL, or the one `npm start` runs). By group: cases.ts, support.ts, calendar.ts, operations.ts.
 */
import { cliProgram } from './program';
import { fail } from './terminal';

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

cliProgram()
  .parseAsync(process.argv)
  .catch((error: Error) => fail(error.message));
