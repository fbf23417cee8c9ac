/**
 * The operator/support CLI: `npm run --silent cli -- <command>`. Application commands talk to the HTTP API
 * (API_URL, default http://localhost:3000, with API_KEY or the development key of `npm start`); calendar commands
 * answer from the shipped calendar data without any server, and read or write the database overrides only when
 * asked (DATABASE_URL, or the one `npm start` runs). By group: cases.ts, support.ts, calendar.ts, operations.ts.
 */
import { Command } from 'commander';
import { calendarCommands } from './calendar';
import { caseCommands } from './cases';
import { operationsCommands } from './operations';
import { supportCommands } from './support';
import { fail } from './terminal';

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('cli').description("Teachers' attestation service: operator and support commands");
caseCommands(program);
supportCommands(program);
calendarCommands(program);
operationsCommands(program);

program.parseAsync(process.argv).catch((error: Error) => fail(error.message));
