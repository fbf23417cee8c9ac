/**
 * The operators' view of the retention (issue 36): the policy the workers run with, the nightly schedule's next
 * run and what its last runs did, and a run now (after an operator's order changes a period, or to check a
 * restored store). Reads the policy file and Temporal; a run's report is its workflow's result.
 */
import { Client, Connection, WorkflowNotFoundError, type ScheduleExecutionResult } from '@temporalio/client';
import type { Command } from 'commander';
import { formatInstant } from '../../domain/calendar';
import { periodInWords, RETENTION_KIND_NAMES, RETENTION_KINDS, type RetentionReport } from '../../domain/retention';
import { dataConverterFor, payloadKeysFromEnvironment } from '../../infra/payload-codec';
import { retentionPolicyFromEnvironment } from '../../infra/retention-policy';
import { RETENTION_SCHEDULE_ID } from '../../infra/retention-schedule';
import { temporalConnectionFromEnvironment } from '../../infra/temporal-connection';
import { fail, keptByNpmStart } from './terminal';

/**
 * PAYLOAD_KEYS, or the development keys `npm start` keeps in DATA_DIR (as the database's URL is found): a run's
 * report is a workflow result, sealed like every payload.
 */
function payloadKeys() {
  return payloadKeysFromEnvironment({ ...process.env, PAYLOAD_KEYS: process.env.PAYLOAD_KEYS || keptByNpmStart('payload-keys.json') });
}

/** The run of the retention a schedule's action started. */
function runStartedBy(client: Client, action: ScheduleExecutionResult) {
  const { workflowId, firstExecutionRunId } = action.action.workflow;
  return client.workflow.getHandle<() => Promise<RetentionReport[]>>(workflowId, firstExecutionRunId);
}

async function withTemporal<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const settings = temporalConnectionFromEnvironment();
  const connection = await Connection.connect(settings).catch((error: Error) =>
    fail(`Temporal at ${settings.address} does not answer: ${error.message}`),
  );
  try {
    const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
    return await use(new Client({ connection, namespace, dataConverter: dataConverterFor(payloadKeys()) }));
  } finally {
    await connection.close();
  }
}

function printReport(reports: RetentionReport[]): void {
  for (const r of reports)
    console.log(
      `    ${r.kind.padEnd(20)} ${String(r.count).padStart(6)} ${r.action === 'delete' ? 'deleted' : 'anonymised'} (before ${formatInstant(new Date(r.cutoff))})`,
    );
}

export function retentionCommands(program: Command): void {
  const retention = program
    .command('retention')
    .description(
      "how long each kind of record is kept and on what basis (RETENTION_POLICY_FILE), the nightly run's next time and what its last runs did",
    )
    .action(async () => {
      const policy = retentionPolicyFromEnvironment();
      console.log('Retention policy:');
      for (const kind of RETENTION_KIND_NAMES) {
        const k = RETENTION_KINDS[kind];
        console.log(
          `\n  ${kind}: ${k.what}\n    ${k.action === 'delete' ? 'deleted' : 'anonymised'} ${periodInWords(policy[kind].keep)} after ${k.from}`,
        );
        console.log(`    basis: ${policy[kind].basis}`);
      }
      await withTemporal(async (client) => {
        const schedule = await client.schedule
          .getHandle(RETENTION_SCHEDULE_ID)
          .describe()
          .catch(() => fail(`no schedule ${RETENTION_SCHEDULE_ID} on Temporal: a worker creates it at start, or run \`cli setup\``));
        const next = schedule.info.nextActionTimes[0];
        console.log(
          `\nSchedule ${RETENTION_SCHEDULE_ID}: ${schedule.state.paused ? 'PAUSED' : 'active'}; next run ${next ? formatInstant(next) : '—'}`,
        );
        for (const action of schedule.info.recentActions.slice(-5).reverse()) {
          const handle = runStartedBy(client, action);
          const { status } = await handle.describe().catch((error: unknown) => {
            if (error instanceof WorkflowNotFoundError) return { status: { name: 'GONE (past the history retention)' } };
            throw error;
          });
          console.log(`  run of ${formatInstant(action.takenAt)}: ${status.name}`);
          if (status.name === 'COMPLETED') printReport(await handle.result());
        }
      });
    });

  retention
    .command('run')
    .description('run the retention now (the schedule triggered), and print what it did')
    .action(async () => {
      await withTemporal(async (client) => {
        const handle = client.schedule.getHandle(RETENTION_SCHEDULE_ID);
        const before = (await handle.describe().catch(() => fail(`no schedule ${RETENTION_SCHEDULE_ID}: run \`cli setup\``))).info.recentActions
          .length;
        await handle.trigger();
        const deadline = Date.now() + 60_000;
        for (;;) {
          const { recentActions } = (await handle.describe()).info;
          const action = recentActions.length > before ? recentActions.at(-1) : undefined;
          if (action) {
            const run = runStartedBy(client, action);
            console.log(`retention run ${run.workflowId} started; what it did:`);
            printReport(await run.result());
            return;
          }
          if (Date.now() > deadline) fail('the schedule did not start a run within a minute (is it paused? `cli retention`)');
          await new Promise((r) => setTimeout(r, 500));
        }
      });
    });
}
