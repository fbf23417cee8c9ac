/**
 * The operator/support CLI: `npm run --silent cli -- <command>`. Application commands talk to the HTTP API
 * (API_URL, default http://localhost:3000, with API_KEY or the development key of `npm start`); calendar commands answer from the shipped calendar data without any
 * server, and read or write the database overrides only when asked (DATABASE_URL, or the one `npm start` runs).
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Command, InvalidArgumentError } from 'commander';
import { WorkingCalendar, formatInstant, parseLocalDate, type CalendarOverride } from '../domain/calendar';
import { characterProblem } from '../domain/fields';
import { readCalendarOverrides } from '../infra/calendar-overrides';
import { requeueDeadLetters, undeliveredCounts } from '../infra/outbox';
import { temporalConnectionFromEnvironment } from '../infra/temporal-connection';
import { setUpTemporal } from '../infra/temporal-setup';
import { createStore } from '../infra/store';
import { DATA_DIR } from '../infra/paths';
import type { StuckCase, caseStory } from './inspector';

const at = (iso: string | null | undefined) => (iso ? formatInstant(new Date(iso)) : '—');

/** A case's story for a person at a terminal. */
function printStory(s: NonNullable<Awaited<ReturnType<typeof caseStory>>>): void {
  console.log(`Application ${s.applicationId}: ${s.state}${s.overdue ? ' (OVERDUE)' : ''}, round ${s.round}`);
  console.log(`  ${s.category} via ${s.channel}, ${s.providerUnit}; under ${s.standard}`);
  console.log(
    `  submitted ${at(s.deadlines.submittedAt)}; registered ${at(s.deadlines.registeredAt)}; decision due ${at(s.deadlines.decisionDueAt)}`,
  );
  if (s.decision)
    console.log(
      `  decision: ${s.decision.decision}${s.decision.grounds.length ? ` (grounds ${s.decision.grounds.join(', ')})` : ''} by ${s.decision.official} at ${at(s.decision.decidedAt)}`,
    );
  const c = s.custody;
  if (c?.atStateCorporationAt) {
    console.log(
      `  result at the State Corporation since ${at(c.atStateCorporationAt)}, kept until ${at(c.storageEndsAt)}${c.place === 'home' ? ' (to be issued at home)' : ''}`,
    );
    if (c.returnedToProviderAt) console.log(`  returned to the provider ${at(c.returnedToProviderAt)}`);
    if (c.requestedAt) console.log(`  asked for again ${at(c.requestedAt)}; the provider sends it by ${at(c.resendDueAt)}`);
    if (c.issuedAt) console.log(`  issued to the ${c.issuedTo} ${at(c.issuedAt)}`);
  }
  if (s.deadlines.complaintPeriodEndsAt) console.log(`  complaints may be filed until ${at(s.deadlines.complaintPeriodEndsAt)}`);
  if (s.deadlines.preTrialCompletedAt) console.log(`  pre-trial stage ended ${at(s.deadlines.preTrialCompletedAt)}`);
  console.log('Stages:');
  for (const st of s.stages)
    console.log(
      `  ${at(st.at)}  ${st.complaintId ? `complaint ${st.complaintId.slice(0, 8)}… ` : ''}${st.stage}${st.delivered ? '' : '  (report not yet delivered)'}`,
    );
  if (s.complaints.length) console.log('Complaints:');
  for (const c of s.complaints)
    console.log(
      `  ${c.complaintId} to the ${c.addressee}: ${c.state}${c.overdue ? ' (OVERDUE)' : ''}, due ${at(c.dueAt)}${c.outcome ? `, ${c.outcome} ${at(c.decidedAt)}` : ''}`,
    );
  console.log('Workflows:');
  for (const w of s.workflows) {
    console.log(`  ${w.workflowId}: ${w.status}, ${w.historyLength} events`);
    for (const a of w.pendingActivities)
      console.log(`    running ${a.activity}, attempt ${a.attempt}${a.lastError ? `, last error: ${a.lastError}` : ''}`);
  }
  console.log('Documents:');
  for (const d of s.documents)
    console.log(`  ${at(d.createdAt)}  ${d.kind}/${d.language}${d.round > 1 ? ` round ${d.round}` : ''}${d.supersededAt ? ' (superseded)' : ''}`);
  const waiting = s.outbox.filter((m) => m.status !== 'delivered');
  console.log(
    waiting.length === 0 ? `Outbox: all ${s.outbox.length} message(s) delivered` : `Outbox: ${waiting.length} of ${s.outbox.length} not delivered:`,
  );
  for (const m of waiting) console.log(`  ${m.key} (${m.channel}): ${m.attempts} attempt(s)${m.lastError ? `, last error: ${m.lastError}` : ''}`);
}

const apiUrl = () => (process.env.API_URL ?? 'http://localhost:3000').replace(/\/$/, '');

/** API_KEY, else the development key a local `npm start` wrote. */
function apiKey(): string | undefined {
  if (process.env.API_KEY) return process.env.API_KEY;
  const file = path.join(DATA_DIR, 'dev-api-key');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function wholeDays(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number of days ≥ 0');
  return Number(value);
}

function instant(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('must be an ISO 8601 date-time, e.g. 2026-03-20T19:05:00+05:00');
  }
  return date;
}

/** A text an override shows with its day: one line, none of the characters no text may hold (issue 16). */
function oneLineArgument(value: string): string {
  const problem = characterProblem(value, false);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

function localDate(value: string): string {
  try {
    parseLocalDate(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value;
}

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url) return url;
  fail('calendar overrides live in the database: set DATABASE_URL, or run `npm start` and use its database (see README)');
}

async function overrides(withOverrides: boolean): Promise<CalendarOverride[]> {
  if (!withOverrides) return [];
  const store = createStore(databaseUrl());
  try {
    return await readCalendarOverrides(store);
  } finally {
    await store.$disconnect();
  }
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

/** Calls the API; on an error answer, prints it and exits non-zero. */
async function call(method: string, route: string, body?: unknown): Promise<string> {
  let response: Response;
  try {
    const key = apiKey();
    response = await fetch(`${apiUrl()}${route}`, {
      method,
      headers: {
        ...(key && { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    fail(`the API at ${apiUrl()} did not answer (${(error as Error).message}); is \`npm start\` running?`);
  }
  const text = await response.text();
  if (!response.ok) {
    process.stdout.write(`${text}\n`);
    process.exit(1);
  }
  return text;
}

/** Calls the API and prints its JSON answer as it is. */
async function api(method: string, route: string, body?: unknown): Promise<void> {
  process.stdout.write(`${await call(method, route, body)}\n`);
}

function readJson(file: string): unknown {
  const raw = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(path.resolve(file), 'utf8');
  try {
    return JSON.parse(raw);
  } catch (error) {
    fail(`${file} is not JSON: ${(error as Error).message}`);
  }
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('cli').description("Teachers' attestation service: operator and support commands");

program
  .command('submit')
  .description('submit an application (JSON as in POST /applications) from a file or - for stdin')
  .argument('<file>')
  .action((file: string) => api('POST', '/applications', readJson(file)));

program
  .command('status')
  .description('show an application: state, registration, deadline, decision, notices')
  .argument('<applicationId>')
  .action((id: string) => api('GET', `/applications/${encodeURIComponent(id)}`));

program
  .command('decide')
  .description("record the provider's decision (R3, R9)")
  .argument('<applicationId>')
  .requiredOption('--decision <decision>', 'accept or refuse')
  .requiredOption('--official <name>', 'the deciding official')
  .option('--grounds <list>', 'refusal grounds of R9, comma-separated (1,2,3)')
  .option('--motivation <text>', 'the motivation of a refusal')
  .action((id: string, o: { decision: string; official: string; grounds?: string; motivation?: string }) =>
    api('POST', `/applications/${encodeURIComponent(id)}/decision`, {
      decision: o.decision,
      official: o.official,
      ...(o.grounds && { grounds: o.grounds.split(',').map((g) => Number(g.trim())) }),
      ...(o.motivation && { motivation: o.motivation }),
    }),
  );

program
  .command('withdraw')
  .description("withdraw an application on the applicant's behalf (only before the decision)")
  .argument('<applicationId>')
  .option('--reason <text>', "the applicant's reason")
  .action((id: string, o: { reason?: string }) =>
    api('POST', `/applications/${encodeURIComponent(id)}/withdrawal`, o.reason ? { reason: o.reason } : {}),
  );

// R5, R14 (earlier standard): a State Corporation result, at the counter and after.
program
  .command('issue-result')
  .description('the State Corporation issues the result to the applicant or a representative (R5); at home for a home visit (R11)')
  .argument('<applicationId>')
  .requiredOption('--official <name>', 'the State Corporation employee')
  .option('--to <whom>', 'applicant or representative', 'applicant')
  .option('--power-of-attorney <number and date>', "a representative's notarised power of attorney")
  .option('--at-home', 'issued on the home visit the applicant asked for (R11)')
  .action((id: string, o: { official: string; to: string; powerOfAttorney?: string; atHome?: boolean }) =>
    api('POST', `/applications/${encodeURIComponent(id)}/result-issue`, {
      to: o.to,
      place: o.atHome ? 'home' : 'state-corporation',
      official: o.official,
      ...(o.powerOfAttorney && { powerOfAttorney: o.powerOfAttorney }),
    }),
  );

program
  .command('request-result')
  .description('the applicant came after the result went back to the provider: ask for it again (R14, one working day)')
  .argument('<applicationId>')
  .requiredOption('--official <name>', 'the State Corporation employee')
  .action((id: string, o: { official: string }) => api('POST', `/applications/${encodeURIComponent(id)}/result-request`, { official: o.official }));

program
  .command('dispatch-result')
  .description('the provider sends the result back to the State Corporation after a later request (R14)')
  .argument('<applicationId>')
  .requiredOption('--official <name>', "the provider's official")
  .action((id: string, o: { official: string }) => api('POST', `/applications/${encodeURIComponent(id)}/result-dispatch`, { official: o.official }));

program
  .command('complain')
  .description("file a complaint against an application's result (R13): reviewed in 5 working days by the provider, 15 by the quality authority")
  .argument('<applicationId>')
  .requiredOption('--to <addressee>', 'provider or quality-authority')
  .requiredOption('--text <text>', 'what the complaint is about')
  .option('--ground <text...>', 'grounds of the complaint, one per option')
  .option('--submitted-at <instant>', 'when the applicant filed it (ISO 8601; now when absent)')
  .action((id: string, o: { to: string; text: string; ground?: string[]; submittedAt?: string }) =>
    api('POST', `/applications/${encodeURIComponent(id)}/complaints`, {
      addressee: o.to,
      text: o.text,
      ...(o.ground && { grounds: o.ground }),
      ...(o.submittedAt && { submittedAt: o.submittedAt }),
    }),
  );

program
  .command('complaint')
  .description('show a complaint: registration, due time, overdue flag, outcome, decision documents')
  .argument('<complaintId>')
  .action((id: string) => api('GET', `/complaints/${encodeURIComponent(id)}`));

program
  .command('decide-complaint')
  .description("record the reviewing body's motivated decision on a complaint (R13)")
  .argument('<complaintId>')
  .requiredOption('--outcome <outcome>', 'upheld, partly-upheld or rejected')
  .requiredOption('--motivation <text>', 'the motivation of the decision')
  .requiredOption('--official <name>', 'the deciding official')
  .action((id: string, o: { outcome: string; motivation: string; official: string }) =>
    api('POST', `/complaints/${encodeURIComponent(id)}/decision`, o),
  );

program
  .command('stuck')
  .description(
    'cases that need a person: overdue decisions and reviews, activities retrying, failing or failed workflows, state mismatches — with what to do',
  )
  .option('--json', 'one JSON document, for machines')
  .option('--retrying-longer-than <seconds>', 'report activities retrying for longer than this', '300')
  .option('--closed-within-days <days>', 'report failed or timed-out runs closed within this many days', '30')
  .option('--page <n>', 'which page of the listing', '1')
  .option('--page-size <n>', 'cases on a page (at most 200)', '50')
  .option('--audit-states', "also compare every running workflow's state with the case store (reads every open case)")
  .action(
    async (o: { json?: boolean; retryingLongerThan: string; closedWithinDays: string; page: string; pageSize: string; auditStates?: boolean }) => {
      const query = new URLSearchParams({
        retryingLongerThanSeconds: o.retryingLongerThan,
        closedWithinDays: o.closedWithinDays,
        page: o.page,
        pageSize: o.pageSize,
        ...(o.auditStates && { audit: 'states' }),
      });
      const text = await call('GET', `/support/stuck?${query}`);
      if (o.json) return void process.stdout.write(`${text}\n`);
      const { checkedAt, cases, total, page, pageSize, truncated } = JSON.parse(text) as {
        checkedAt: string;
        cases: StuckCase[];
        total: number;
        page: number;
        pageSize: number;
        truncated: boolean;
      };
      const checked = formatInstant(new Date(checkedAt));
      const first = (page - 1) * pageSize + 1;
      console.log(
        total === 0
          ? `No case needs a person (checked ${checked}).`
          : `${total}${truncated ? ' or more' : ''} case(s) need a person (checked ${checked}); page ${page}, from ${first}:`,
      );
      if (total > page * pageSize) console.log(`(the next page: --page ${page + 1})`);
      for (const c of cases) {
        const id = c.complaintId ? `complaint ${c.complaintId}` : `application ${c.applicationId ?? c.workflowId}`;
        console.log(`\n${c.reason.toUpperCase().replace(/-/g, ' ')}  ${id}`);
        console.log(`  ${c.detail}`);
        if (c.lastError) console.log(`  last error: ${c.lastError}`);
        console.log(`  next: ${c.nextStep}`);
      }
    },
  );

program
  .command('case')
  .description("one case's whole story: state, deadlines, stages with times, pending activities, documents, complaints, outbox")
  .argument('<id>', 'an application id or a complaint id')
  .option('--json', 'one JSON document, for machines')
  .action(async (id: string, o: { json?: boolean }) => {
    const text = await call('GET', `/support/cases/${encodeURIComponent(id)}`);
    if (o.json) return void process.stdout.write(`${text}\n`);
    printStory(JSON.parse(text) as NonNullable<Awaited<ReturnType<typeof caseStory>>>);
  });

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
    const store = createStore(databaseUrl());
    try {
      for (const r of await store.calendarOverride.findMany({ orderBy: { date: 'asc' } })) {
        console.log(`${r.date}  ${r.kind}  ${r.basis}  (added by ${r.addedBy}, ${r.addedAt.toISOString()})${r.note ? `  ${r.note}` : ''}`);
      }
    } finally {
      await store.$disconnect();
    }
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
    const store = createStore(databaseUrl());
    try {
      await store.calendarOverride.create({ data: { date: o.date, kind: o.kind, basis: o.basis, note: o.note, addedBy: o.by } });
      console.log(`added: ${o.date} ${o.kind}; running cases pick it up at their next calendar look-up`);
    } catch (error) {
      fail(`not added: ${(error as Error).message.split('\n').pop()}`);
    } finally {
      await store.$disconnect();
    }
  });

program
  .command('setup')
  .description(
    'set a Temporal server up for the service: its namespace and every search attribute, registering only what is missing (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_*)',
  )
  .action(async () => {
    const settings = temporalConnectionFromEnvironment();
    const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
    const report = await setUpTemporal(settings, namespace).catch((error: Error) =>
      fail(`Temporal at ${settings.address} could not be set up: ${error.message}`),
    );
    console.log(`namespace ${namespace} on ${settings.address}: ${report.namespaceCreated ? 'created' : 'present'}`);
    console.log(report.registered.length > 0 ? `search attributes registered: ${report.registered.join(', ')}` : 'search attributes: all present');
  });

const outbox = program
  .command('outbox')
  .description('the notices and stage reports not yet delivered, and the dead letters the relay gave up on (reads the case store)')
  .action(async () => {
    const store = createStore(databaseUrl());
    try {
      const { pending, dead } = await undeliveredCounts(store);
      console.log(`Outbox: ${pending} waiting or retrying, ${dead} dead letter(s).`);
      const letters = await store.outboxMessage.findMany({ where: { status: 'dead' }, orderBy: { createdAt: 'asc' }, take: 200 });
      for (const m of letters) console.log(`\nDEAD  ${m.key}  (${m.channel}, ${m.attempts} attempts)\n  last error: ${m.lastError ?? '—'}`);
      if (dead > 0) console.log('\nnext: fix what the last error names, then cli outbox requeue <key>… (or --all)');
    } finally {
      await store.$disconnect();
    }
  });

outbox
  .command('requeue')
  .description('try dead letters again from the start, once what refused them is fixed')
  .argument('[keys...]', 'the keys of the dead letters')
  .option('--all', 'every dead letter')
  .action(async (keys: string[], o: { all?: boolean }) => {
    if (keys.length === 0 && !o.all) fail('name the dead letters to requeue, or --all');
    const store = createStore(databaseUrl());
    try {
      const count = await requeueDeadLetters(store, o.all ? undefined : keys);
      console.log(`requeued ${count} dead letter(s); the relay delivers them within a few seconds`);
    } finally {
      await store.$disconnect();
    }
  });

// The database `npm start` runs, for the override commands, when no DATABASE_URL is given.
if (!process.env.DATABASE_URL && fs.existsSync(path.join(DATA_DIR, 'database-url'))) {
  process.env.DATABASE_URL = fs.readFileSync(path.join(DATA_DIR, 'database-url'), 'utf8').trim();
}

program.parseAsync(process.argv).catch((error: Error) => fail(error.message));
