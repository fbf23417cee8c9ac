/** The operators' commands: setting Temporal up for the service, and the outbox's undelivered and dead letters. */
import type { Command } from 'commander';
import { requeueDeadLetters, undeliveredCounts } from '../../infra/outbox';
import { temporalConnectionFromEnvironment } from '../../infra/temporal-connection';
import { setUpTemporal } from '../../infra/temporal-setup';
import { RETENTION_SCHEDULE_ID } from '../../infra/retention-schedule';
import { fail, withStore } from './terminal';

export function operationsCommands(program: Command): void {
  program
    .command('setup')
    .description(
      "set a Temporal server up for the service: its namespace (with the retention policy's history retention), every search attribute and the nightly retention schedule, registering only what is missing (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_*)",
    )
    .action(async () => {
      const settings = temporalConnectionFromEnvironment();
      const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
      const report = await setUpTemporal(settings, namespace, {}, { retentionSchedule: true }).catch((error: Error) =>
        fail(`Temporal at ${settings.address} could not be set up: ${error.message}`),
      );
      console.log(`namespace ${namespace} on ${settings.address}: ${report.namespaceCreated ? 'created' : 'present'}`);
      console.log(report.registered.length > 0 ? `search attributes registered: ${report.registered.join(', ')}` : 'search attributes: all present');
      console.log(
        `closed histories kept: ${report.historyRetentionSet ? `set to ${report.historyRetentionSet} now` : 'as the retention policy says'}`,
      );
      console.log(`nightly retention schedule (${RETENTION_SCHEDULE_ID}): ${report.retentionSchedule}`);
    });

  const outbox = program
    .command('outbox')
    .description('the notices and stage reports not yet delivered, and the dead letters the relay gave up on (reads the case store)')
    .action(async () => {
      await withStore(async (store) => {
        const { pending, dead } = await undeliveredCounts(store);
        console.log(`Outbox: ${pending} waiting or retrying, ${dead} dead letter(s).`);
        const letters = await store.outboxMessage.findMany({ where: { status: 'dead' }, orderBy: { createdAt: 'asc' }, take: 200 });
        for (const m of letters) console.log(`\nDEAD  ${m.key}  (${m.channel}, ${m.attempts} attempts)\n  last error: ${m.lastError ?? '—'}`);
        if (dead > 0) console.log('\nnext: fix what the last error names, then cli outbox requeue <key>… (or --all)');
      });
    });

  outbox
    .command('requeue')
    .description('try dead letters again from the start, once what refused them is fixed')
    .argument('[keys...]', 'the keys of the dead letters')
    .option('--all', 'every dead letter')
    .action(async (keys: string[], o: { all?: boolean }) => {
      if (keys.length === 0 && !o.all) fail('name the dead letters to requeue, or --all');
      await withStore(async (store) => {
        const count = await requeueDeadLetters(store, o.all ? undefined : keys);
        console.log(`requeued ${count} dead letter(s); the relay delivers them within a few seconds`);
      });
    });
}
