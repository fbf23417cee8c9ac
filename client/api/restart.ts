/**
 * Starting a case again (issue 35): an operator's remedy for a run that ended abnormally — failed, timed out, or
 * terminated by mistake. The case is started from the application its run was started with (the run's first
 * event, decoded with the service's payload keys), under the same workflow id, which Temporal allows only after a
 * run that did not complete (ALLOW_DUPLICATE_FAILED_ONLY): a case that runs, or completed, is refused. Who asked
 * and why go into the new run's details, shown in the Temporal UI.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { z } from 'zod';
import type { ApplicationInput } from '../../domain/application';
import type { ClosedCaseReopening } from '../../domain/case-status';
import { line, schemaOnce, text } from '../../domain/fields';
import { openApplicationOnRecord } from '../../infra/case-store';
import { workflowIdFor } from '../../infra/identity';
import type { ApiRefusal } from './refusals';
import type { ApiRoutes } from './routing';
import { startApplicationWorkflow } from './submission';

export const restartSchema = schemaOnce(() =>
  z.strictObject({
    by: line(z.string().max(300).trim().min(1, 'must name who starts the case again'), { filled: true }),
    why: text(z.string().max(2_000).trim().min(1, 'must say why the case is started again'), { filled: true }),
  }),
);

/** Runs that ended without completing: the ones a case may be started again after. */
const ENDED_ABNORMALLY = new Set(['FAILED', 'TIMED_OUT', 'TERMINATED', 'CANCELLED']);

export type RestartOutcome =
  | { ok: true; restarted: { applicationId: string; workflowId: string; runId: string; endedRun: { status: string; closedAt: string | null } } }
  | { ok: false; refusal: ApiRefusal };

export async function restartCase(
  deps: ApiRoutes['deps'],
  applicationId: string,
  asked: { by: string; why: string; client: string },
): Promise<RestartOutcome> {
  const workflowId = workflowIdFor(applicationId);
  const handle = deps.client.workflow.getHandle(workflowId);
  const notAllowed = (message: string): RestartOutcome => ({ ok: false, refusal: { code: 'restart-not-allowed', field: 'id', rule: null, message } });
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    // Issue 36: Temporal restored from a backup older than the case store's has no run of a case submitted between
    // the two; the store holds it open with its application as admitted, which it starts from.
    const onRecord = await openApplicationOnRecord(deps.store, applicationId);
    if (!onRecord) return { ok: false, refusal: { code: 'not-found', field: 'id', rule: null, message: `no application ${applicationId}` } };
    return startAgain(onRecord, undefined, { status: 'NOT_FOUND', closedAt: null });
  }
  const status = description.status.name;
  if (!ENDED_ABNORMALLY.has(status)) {
    return notAllowed(
      status === 'RUNNING'
        ? `application ${applicationId} is running; there is nothing to start again`
        : `application ${applicationId} ended ${status.toLowerCase()}: only a run that failed, timed out or was terminated is started again`,
    );
  }
  const history = await handle.fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const [input, reopening] = (await decodeArrayFromPayloads(deps.client.options.loadedDataConverter, started?.input?.payloads)) as [
    ApplicationInput | undefined,
    ClosedCaseReopening | undefined,
  ];
  if (!input || input.applicationId !== applicationId)
    return notAllowed(`the run of application ${applicationId} holds no application to start again from`);
  return startAgain(input, reopening, { status, closedAt: description.closeTime?.toISOString() ?? null });

  async function startAgain(
    from: ApplicationInput,
    again: ClosedCaseReopening | undefined,
    endedRun: { status: string; closedAt: string | null },
  ): Promise<RestartOutcome> {
    try {
      const run = await startApplicationWorkflow(
        deps,
        from,
        `Started again by ${asked.by} (client ${asked.client}): ${asked.why.slice(0, 500)}. First submitted`,
        again,
      );
      return { ok: true, restarted: { applicationId, workflowId, runId: run.firstExecutionRunId, endedRun } };
    } catch (error) {
      // Started again a moment ago by another request: once.
      if (error instanceof WorkflowExecutionAlreadyStartedError) return notAllowed(`application ${applicationId} has just been started again`);
      throw error;
    }
  }
}
