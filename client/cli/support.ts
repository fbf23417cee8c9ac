/** Support's commands: the stuck cases with what to do, and one case's whole story. */
import type { Command } from 'commander';
import { formatInstant } from '../../domain/calendar';
import type { caseStory, StuckCase } from '../inspector';
import { api, at, call } from './terminal';

/** A case's story for a person at a terminal. */
function printStory(s: NonNullable<Awaited<ReturnType<typeof caseStory>>>): void {
  console.log(`Application ${s.applicationId}: ${s.state}${s.overdue ? ' (OVERDUE)' : ''}, round ${s.round}`);
  console.log(`  ${s.category} via ${s.channel}, ${s.providerUnit}; under ${s.standard}`);
  console.log(
    `  submitted ${at(s.deadlines.submittedAt)}; registered ${at(s.deadlines.registeredAt)}; decision due ${at(s.deadlines.decisionDueAt)}`,
  );
  if (s.identity?.register === 'name-differs')
    console.log(
      `  the person register holds the name ${s.identity.registerName} (submitted: ${s.identity.submittedName}); the documents print the register's`,
    );
  if (s.identity?.register === 'not-found')
    console.log('  the person register holds no person with this IIN: the provider weighs the identity document');
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
  if (s.gatewayExchanges.length) console.log('E-government gateway:');
  for (const e of s.gatewayExchanges)
    console.log(
      `  ${at(e.at)}  ${e.interaction} (${e.serviceId}) message ${e.messageId}: ${e.statusCode}${e.answerMessageId ? `, answer ${e.answerMessageId}` : ''}`,
    );
  const waiting = s.outbox.filter((m) => m.status !== 'delivered');
  console.log(
    waiting.length === 0 ? `Outbox: all ${s.outbox.length} message(s) delivered` : `Outbox: ${waiting.length} of ${s.outbox.length} not delivered:`,
  );
  for (const m of waiting) console.log(`  ${m.key} (${m.channel}): ${m.attempts} attempt(s)${m.lastError ? `, last error: ${m.lastError}` : ''}`);
}

export function supportCommands(program: Command): void {
  program
    .command('restart-case')
    .description(
      'start a case whose run failed, timed out or was terminated again, from the application its run was started with, under the same id (once; never one that runs or completed)',
    )
    .argument('<applicationId>')
    .requiredOption('--by <name>', 'who starts it again (shown in the Temporal UI)')
    .requiredOption('--why <text>', 'why: the cause that was fixed')
    .action((id: string, o: { by: string; why: string }) =>
      api('POST', `/support/cases/${encodeURIComponent(id)}/restart`, { by: o.by, why: o.why }),
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

  program
    .command('case-reads')
    .description("who read an application's case (its personal data), through which route and when, newest first")
    .argument('<applicationId>')
    .option('--json', 'one JSON document, for machines')
    .action(async (id: string, o: { json?: boolean }) => {
      const text = await call('GET', `/support/cases/${encodeURIComponent(id)}/reads`);
      if (o.json) return void process.stdout.write(`${text}\n`);
      const { reads } = JSON.parse(text) as { reads: Array<{ client: string; role: string; route: string; at: string }> };
      if (reads.length === 0) console.log(`Nobody has read application ${id} through the API.`);
      for (const r of reads) console.log(`${at(r.at)}  ${r.client} (${r.role})  ${r.route}`);
    });
}
