/**
 * How the API talks to a case's workflow: a query answered by the running workflow (or null, for the case
 * store to answer), and an update whose refusal comes back typed — the guard's code, field and rule — and
 * leaves with its status from the one table (refusals.ts).
 */
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RefusalCode } from '../../domain/refusals';
import { refuse, refusalOfFailure } from './refusals';

/** A workflow's own view of its case, or null when it is gone (or does not answer: the case store answers then). */
export async function queryIfRunning<T>(client: Client, request: FastifyRequest, workflowId: string, query: QueryDefinition<T>): Promise<T | null> {
  try {
    return await client.workflow.getHandle(workflowId).query(query);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) request.log.warn({ err: error, workflowId }, 'query failed; answering from the case store');
    return null;
  }
}

export interface UpdateTarget {
  workflowId: string;
  /** what it is, for a 404: application, complaint */
  what: string;
  id: string;
  /** the refusal for a case whose workflow has finished: the code of the update refused, and why in words */
  closed: { code: RefusalCode; field: string; rule: string | null; message: () => Promise<string> };
  /** a finished case may still take the request another way (a late complaint): its reply, or undefined to refuse */
  finished?: () => Promise<unknown>;
}

/**
 * Sends an update to a case's workflow and answers in the API's shape: its result, or 404 for an unknown case,
 * the closed case's refusal for one whose workflow has finished, and the guard's own refusal when it refused.
 */
export async function sendUpdate<T>(
  client: Client,
  reply: FastifyReply,
  target: UpdateTarget,
  send: (workflowId: string) => Promise<T>,
  answered = 200,
) {
  try {
    return reply.code(answered).send(await send(target.workflowId));
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      // An update cannot reach a workflow that has finished: tell a closed case from an unknown one.
      // Only "no such workflow" means unknown: any other failure to tell is Temporal's (503), never a 404.
      const finished = await client.workflow
        .getHandle(target.workflowId)
        .describe()
        .then(
          () => true,
          (describeError: unknown) => {
            if (describeError instanceof WorkflowNotFoundError) return false;
            throw describeError;
          },
        );
      if (!finished) return refuse(reply, { code: 'not-found', field: 'id', rule: null, message: `no ${target.what} ${target.id}` });
      const instead = await target.finished?.();
      if (instead !== undefined) return instead;
      const { code, field, rule, message } = target.closed;
      return refuse(reply, { code, field, rule, message: await message() });
    }
    if (error instanceof WorkflowUpdateFailedError) {
      // A guard's refusal as it raised it; any other failure of an accepted update (the case ended under it) is
      // the update's refusal in the case's words.
      const { code, field, rule } = target.closed;
      const cause = error.cause instanceof Error ? error.cause.message : error.message;
      return refuse(reply, refusalOfFailure(error.cause) ?? { code, field, rule, message: cause });
    }
    throw error;
  }
}
