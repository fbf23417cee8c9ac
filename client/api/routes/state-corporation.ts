/** Routes of the `state-corporation` tag (earlier standard): the result's way, reported as it happens (R5, R14). */
import { CaseStatusAnswer } from '../answers';
import type { z } from 'zod';
import { CUSTODY_BODIES, type CustodyEvent } from '../../../domain/custody';
import { parseInput } from '../../../domain/refusals';
import { mayRecordCustody } from '../../../domain/authority';
import { resultCustodyUpdate } from '../../../workflows/messages';
import { partiesOf, entitlementRefusal } from '../entitlement';
import { refuse } from '../refusals';
import { ERRORS, type ApiRoutes } from '../routing';

const CUSTODY_ROUTES: Array<{
  url: string;
  operationId: string;
  event: CustodyEvent['event'];
  scope: 'submit' | 'decide';
  summary: string;
  refused: string;
}> = [
  {
    url: '/applications/:id/result-issue',
    operationId: 'issueResult',
    event: 'issued',
    scope: 'submit',
    summary:
      'The State Corporation issues the result to the applicant, or to a representative on a notarised power of attorney; at home for a home visit (R5, R11)',
    refused:
      'the result is not waiting at the State Corporation (not decided yet, returned to the provider, issued already, or not a State Corporation case)',
  },
  {
    url: '/applications/:id/result-request',
    operationId: 'requestResultAgain',
    event: 'requested',
    scope: 'submit',
    summary:
      'The applicant came after the result went back to the provider: the State Corporation asks for it; the provider has one working day (R14)',
    refused: 'the result has not been returned to the provider',
  },
  {
    url: '/applications/:id/result-dispatch',
    operationId: 'dispatchResultAgain',
    event: 'sent-again',
    scope: 'decide',
    summary: 'The provider sends the result back to the State Corporation after a later request (R14)',
    refused: 'the State Corporation has not asked for the result',
  },
];

export function stateCorporationRoutes({ route, deps, updateApplication }: ApiRoutes): void {
  for (const r of CUSTODY_ROUTES) {
    route(
      {
        method: 'POST',
        url: r.url,
        operationId: r.operationId,
        summary: r.summary,
        tag: 'state-corporation',
        scope: r.scope,
        params: { id: 'the application id' },
        body: CUSTODY_BODIES[r.event](),
        answers: { 200: CaseStatusAnswer },
        responses: {
          200: 'the case after the step',
          ...ERRORS,
          403: "the key is not the State Corporation's (or, to send a result back, the provider's of the case's unit) (R1)",
          409: r.refused,
          422: 'against a rule: a representative without a power of attorney (R5), the wrong place for a home visit (R11)',
        },
      },
      async (request, reply) => {
        const parsed = parseInput(CUSTODY_BODIES[r.event]() as z.ZodType<object>, request.body ?? {});
        if (!parsed.ok) return refuse(reply, parsed.error);
        const event = { event: r.event, ...parsed.value } as CustodyEvent;
        const denied = entitlementRefusal('application', request.params.id, await partiesOf(deps, request.params.id), (kase) =>
          mayRecordCustody(request.apiClient!, r.event, kase),
        );
        if (denied) return refuse(reply, denied);
        return updateApplication(
          request.params.id,
          reply,
          (workflowId) => deps.client.workflow.getHandle(workflowId).executeUpdate(resultCustodyUpdate, { args: [event] }),
          { code: 'custody-step-not-allowed', field: 'id', rule: 'R14' },
        );
      },
    );
  }
}
