/** The calendar commands: the working-time calendar from the shipped data, with the database's overrides when asked (R3, R7, R13). */
import readline from 'node:readline';
import { InvalidArgumentError, type Command } from 'commander';
import { WorkingCalendar, formatInstant, type CalendarOverride } from '../../domain/calendar';
import { readCalendarOverrides } from '../../infra/calendar-overrides';
import { fail, instant, localDate, oneLineArgument, wholeDays, withStore } from './terminal';

async function overrides(withOverrides: boolean): Promise<CalendarOverride[]> {
  if (!withOverrides) return [];
  return withStore((store) => readCalendarOverrides(store));
}

async function calendarFor(options: { overrides?: boolean }): Promise<WorkingCalendar> {
  return new WorkingCalendar(await overrides(Boolean(options.overrides)));
}

type BatchLine =
  | { op: 'isWorkingDay'; date: string }
  | { op: 'registrationMoment'; submittedAt: string }
  | { op: 'addWorkingDays'; from: string; days: number }
  | { op: 'deadline'; from: string; days: number };

function answer(calendar: WorkingCalendar, line: BatchLine): unknown {
  switch (line.op) {
    case 'isWorkingDay':
      return calendar.isWorkingDay(localDate(line.date));
    case 'registrationMoment':
      return formatInstant(calendar.registrationMoment(instant(line.submittedAt)));
    case 'addWorkingDays':
      return calendar.addWorkingDays(localDate(line.from), line.days);
    case 'deadline':
      return formatInstant(calendar.deadline(instant(line.from), line.days));
    default:
      throw new Error(
        `unknown op ${JSON.stringify((line as { op?: unknown }).op)}; use isWorkingDay, registrationMoment, addWorkingDays or deadline`,
      );
  }
}

export function calendarCommands(program: Command): void {
  const calendar = program.command('calendar').description('the working-time calendar of Kazakhstan (Asia/Almaty), R3, R7, R13');

  calendar
    .command('is-working-day')
    .argument('<date>', 'YYYY-MM-DD', localDate)
    .option('--overrides', 'include operator overrides from the database')
    .action(async (date: string, o) => console.log(String((await calendarFor(o)).isWorkingDay(date))));

  calendar
    .command('registration-moment')
    .description('when a submission at this instant is registered (R7)')
    .argument('<submittedAt>', 'ISO 8601 instant', instant)
    .option('--overrides', 'include operator overrides from the database')
    .action(async (at: Date, o) => console.log(formatInstant((await calendarFor(o)).registrationMoment(at))));

  calendar
    .command('add-working-days')
    .description('the date of the N-th working day after a date (the date itself not counted)')
    .argument('<date>', 'YYYY-MM-DD', localDate)
    .argument('<days>', 'N ≥ 0', wholeDays)
    .option('--overrides', 'include operator overrides from the database')
    .action(async (date: string, days: number, o) => console.log((await calendarFor(o)).addWorkingDays(date, days)));

  calendar
    .command('deadline')
    .description('the end (18:30) of a period of N working days starting the day after the instant')
    .argument('<from>', 'ISO 8601 instant', instant)
    .argument('<days>', 'N ≥ 1', wholeDays)
    .option('--overrides', 'include operator overrides from the database')
    .action(async (from: Date, days: number, o) => {
      if (days === 0) throw new InvalidArgumentError('a deadline counts at least one working day');
      console.log(formatInstant((await calendarFor(o)).deadline(from, days)));
    });

  calendar
    .command('batch')
    .description('answer JSON lines from stdin ({"op":"isWorkingDay","date":…} …), one JSON line each, in order')
    .option('--overrides', 'include operator overrides from the database')
    .action(async (o) => {
      const cal = await calendarFor(o);
      for await (const raw of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
        if (raw.trim() === '') continue;
        let out: unknown;
        try {
          out = { result: answer(cal, JSON.parse(raw) as BatchLine) };
        } catch (error) {
          out = { error: (error as Error).message };
        }
        process.stdout.write(`${JSON.stringify(out)}\n`);
      }
    });

  calendar
    .command('year')
    .description("a year's days off and transferred working days, with their legal basis")
    .argument('<year>', 'YYYY', (v) =>
      /^\d{4}$/.test(v)
        ? Number(v)
        : (() => {
            throw new InvalidArgumentError('must be a year, e.g. 2026');
          })(),
    )
    .option('--overrides', 'include operator overrides from the database')
    .option('--json', 'machine-readable output')
    .action(async (year: number, o) => {
      const cal = await calendarFor(o);
      const status = cal.yearStatus(year);
      const days = cal.yearDays(year);
      if (o.json) return console.log(JSON.stringify({ year, status, days }, null, 2));
      if (status !== 'confirmed') {
        process.stderr.write(
          status === 'unknown'
            ? `WARNING: no calendar data for ${year}; these days come from the statutory rule alone (no Kurban Ait, no ordered transfers)\n`
            : `WARNING: ${year} is provisional: ordered transfers (and perhaps Kurban Ait) are not yet published\n`,
        );
      }
      for (const d of days) console.log(`${d.date}  ${d.working ? 'working' : 'day off'}  ${d.name}\n            basis: ${d.basis}`);
    });

  calendar
    .command('overrides')
    .description('list the operator overrides stored in the database')
    .action(async () => {
      await withStore(async (store) => {
        for (const r of await store.calendarOverride.findMany({ orderBy: { date: 'asc' } })) {
          console.log(`${r.date}  ${r.kind}  ${r.basis}  (added by ${r.addedBy}, ${r.addedAt.toISOString()})${r.note ? `  ${r.note}` : ''}`);
        }
      });
    });

  calendar
    .command('add-override')
    .description("add an order's transfer for a year the shipped data does not cover (no release needed)")
    .requiredOption('--date <date>', 'YYYY-MM-DD', localDate)
    .requiredOption('--kind <kind>', 'day-off or working-day', (v) => {
      if (v !== 'day-off' && v !== 'working-day') throw new InvalidArgumentError('must be day-off or working-day');
      return v;
    })
    .requiredOption('--basis <reference>', 'the legal reference: decree or order, number and date', oneLineArgument)
    .requiredOption('--by <name>', 'who adds it', oneLineArgument)
    .option('--note <text>', 'a note shown with the day', oneLineArgument)
    .action(async (o: { date: string; kind: string; basis: string; by: string; note?: string }) => {
      if (o.basis.trim().length < 5) fail('--basis must cite the decree or order (number and date)');
      await withStore(async (store) => {
        try {
          await store.calendarOverride.create({ data: { date: o.date, kind: o.kind, basis: o.basis, note: o.note, addedBy: o.by } });
          console.log(`added: ${o.date} ${o.kind}; running cases pick it up at their next calendar look-up`);
        } catch (error) {
          fail(`not added: ${(error as Error).message.split('\n').pop()}`);
        }
      });
    });
}
