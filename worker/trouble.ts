/**
 * Where the worker records a workflow in trouble (issue 17): an activity from its second attempt on, with the
 * error of each failed attempt, and a workflow task failing in the workflow's code (workflows/trouble.ts). The
 * stuck-case listing (client/inspector/stuck.ts) reads these rows instead of describing every running workflow. The
 * first attempt of an activity touches nothing: the common path costs no write.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { Store } from '../infra/store';
import { activityPart, WORKFLOW_TASK_PART } from '../infra/workflow-trouble';
import type { TroubleSinks } from '../workflows/trouble';

/** A record that cannot be written (the database is what fails) must not fail the activity or the worker. */
async function bestEffort(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch {
    // /healthz reports the database; the listing's other sources still find the case
  }
}

export function troubleInterceptor(store: Store): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const { info } = ctx;
        const execution = info.workflowExecution;
        if (info.attempt < 2 || !execution) return next(input);
        const key = { workflowId: execution.workflowId, part: activityPart(info.activityId) };
        const where = { workflowId_part: key };
        await bestEffort(() =>
          store.workflowTrouble.upsert({
            where,
            create: { ...key, runId: execution.runId, what: info.activityType, attempt: info.attempt, since: new Date(info.scheduledTimestampMs) },
            update: { runId: execution.runId, attempt: info.attempt },
          }),
        );
        try {
          const result = await next(input);
          await bestEffort(() => store.workflowTrouble.deleteMany({ where: key }));
          return result;
        } catch (error) {
          const final = error instanceof ApplicationFailure && error.nonRetryable;
          const message = error instanceof Error ? error.message : String(error);
          await bestEffort(() =>
            final
              ? store.workflowTrouble.deleteMany({ where: key })
              : store.workflowTrouble.updateMany({ where: key, data: { lastError: message.slice(0, 2000) } }),
          );
          throw error;
        }
      },
    },
  });
}

export function troubleSinks(store: Store): InjectedSinks<TroubleSinks> {
  return {
    trouble: {
      workflowTaskFailed: {
        fn: (info, message) =>
          bestEffort(() =>
            store.workflowTrouble.upsert({
              where: { workflowId_part: { workflowId: info.workflowId, part: WORKFLOW_TASK_PART } },
              create: {
                workflowId: info.workflowId,
                part: WORKFLOW_TASK_PART,
                runId: info.runId,
                what: info.workflowType,
                attempt: 1,
                since: new Date(),
                lastError: message.slice(0, 2000),
              },
              update: { runId: info.runId, attempt: { increment: 1 }, lastError: message.slice(0, 2000) },
            }),
          ),
      },
    },
  };
}
