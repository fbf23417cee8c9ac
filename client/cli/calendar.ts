/** The calendar commands: the working-time calendar from the shipped data, with the database's overrides when asked (R3, R7, R13). */
import readline from 'node:readline';
import { InvalidArgumentError, type Command } from 'commander';
import { WorkingCalendar, formatInstant, type CalendarOverride } from '../../domain/calendar';
import {
  OverrideRefused,
  addCalendarOverride,
  calendarOverrideHistory,
  correctCalendarOverride,
  readCalendarOverrides,
  removeCalendarOverride,
} from '../../infra/calendar-overrides';
import type { Store } from '../../infra/store';
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

  const kindOption = (v: string) => {
    if (v !== 'day-off' && v !== 'working-day') throw new InvalidArgumentError('must be day-off or working-day');
    return v;
  };
  /** Runs a change of the overrides, printing what became of the day, or the reason it was refused. */
  const change = (refused: 'not added' | 'not corrected' | 'not removed', what: (store: Store) => Promise<string>) =>
    withStore(async (store) => {
      try {
        console.log(`${await what(store)}; running cases pick it up at their next calendar look-up`);
      } catch (error) {
        if (error instanceof OverrideRefused) fail(`${refused}: ${error.message}`);
        fail(`${refused}: ${(error as Error).message.split('\n').pop()}`);
      }
    });
  const citesAnOrder = (basis: string | undefined) => {
    if (basis !== undefined && basis.trim().length < 5) fail('--basis must cite the decree or order (number and date)');
  };

  /** What an override says (its kind and basis required when adding it, each optional when correcting it) and who changes it. */
  const overrideOptions = (command: Command, adding: boolean) => {
    const option = (flags: string, description: string, parse: (v: string) => string) =>
      adding ? command.requiredOption(flags, description, parse) : command.option(flags, description, parse);
    option('--kind <kind>', 'day-off or working-day', kindOption);
    option('--basis <reference>', 'the legal reference: decree or order, number and date', oneLineArgument);
    return command
      .option('--note <text>', 'a note shown with the day', oneLineArgument)
      .requiredOption('--by <name>', 'who changes it', oneLineArgument);
  };

  overrideOptions(
    calendar
      .command('add-override')
      .description("add an order's transfer for a year the shipped data does not cover (no release needed)")
      .requiredOption('--date <date>', 'YYYY-MM-DD', localDate),
    true,
  )
    .option('--why <text>', 'why it is added (kept in the history; the basis when absent)', oneLineArgument)
    .action(async (o: { date: string; kind: string; basis: string; by: string; note?: string; why?: string }) => {
      citesAnOrder(o.basis);
      await change('not added', async (store) => {
        const override = { date: o.date, kind: o.kind as CalendarOverride['kind'], basis: o.basis, note: o.note ?? null };
        await addCalendarOverride(store, override, { by: o.by, why: o.why ?? o.basis });
        return `added: ${o.date} ${o.kind}`;
      });
    });

  overrideOptions(
    calendar
      .command('correct-override')
      .description("correct a date's override (its kind, basis or note); what it was is kept in the history")
      .requiredOption('--date <date>', 'YYYY-MM-DD', localDate),
    false,
  )
    .requiredOption('--why <text>', 'why (kept in the history)', oneLineArgument)
    .action(async (o: { date: string; kind?: string; basis?: string; note?: string; by: string; why: string }) => {
      citesAnOrder(o.basis);
      if (o.kind === undefined && o.basis === undefined && o.note === undefined) fail('say what to correct: --kind, --basis or --note');
      await change('not corrected', async (store) => {
        const after = await correctCalendarOverride(
          store,
          o.date,
          {
            ...(o.kind && { kind: o.kind as CalendarOverride['kind'] }),
            ...(o.basis && { basis: o.basis }),
            ...(o.note !== undefined && { note: o.note }),
          },
          { by: o.by, why: o.why },
        );
        return `corrected: ${after.date} ${after.kind} (${after.basis})`;
      });
    });

  calendar
    .command('remove-override')
    .description("remove a date's override: the day is again as the shipped calendar has it; what it was is kept in the history")
    .requiredOption('--date <date>', 'YYYY-MM-DD', localDate)
    .requiredOption('--by <name>', 'who removes it', oneLineArgument)
    .requiredOption('--why <text>', 'why (kept in the history)', oneLineArgument)
    .action(async (o: { date: string; by: string; why: string }) => {
      await change('not removed', async (store) => {
        await removeCalendarOverride(store, o.date, { by: o.by, why: o.why });
        return `removed: ${o.date} is ${new WorkingCalendar().isWorkingDay(o.date) ? 'a working day' : 'a day off'} again, as the shipped calendar has it`;
      });
    });

  calendar
    .command('override-history')
    .description('every change of the overrides (of one date when given): what, who, why, when, and what it was before')
    .option('--date <date>', 'YYYY-MM-DD', localDate)
    .action(async (o: { date?: string }) => {
      await withStore(async (store) => {
        for (const c of await calendarOverrideHistory(store, o.date)) {
          const after = c.action === 'removed' ? '' : `  ${c.kind}  ${c.basis}${c.note ? `  ${c.note}` : ''}`;
          const before = c.previous ? `  (was ${JSON.stringify(c.previous)})` : '';
          console.log(`${c.at.toISOString()}  ${c.date}  ${c.action}${after}  by ${c.by}: ${c.why}${before}`);
        }
      });
    });
}
