/** The CLI's commands, as one program: run by index.ts, and read by the test that holds the docs to them. */
import { Command } from 'commander';
import { calendarCommands } from './calendar';
import { caseCommands } from './cases';
import { operationsCommands } from './operations';
import { publicationCommands } from './publications';
import { retentionCommands } from './retention';
import { supportCommands } from './support';

export function cliProgram(): Command {
  const program = new Command('cli').description("Teachers' attestation service: operator and support commands");
  caseCommands(program);
  supportCommands(program);
  calendarCommands(program);
  operationsCommands(program);
  retentionCommands(program);
  publicationCommands(program);
  return program;
}
