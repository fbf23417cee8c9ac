/**
 * Routes of the `contact-centre` tag (R11): the Unified Contact Centre (1414) reads where a teacher's application
 * stands, by its number and her IIN — the state, the dates and the next step in Kazakh and Russian; no documents,
 * no name, no other case. A wrong IIN is answered as an unknown number, so the look-up tells nothing of a case to
 * whoever does not know both. Each look-up is recorded as a read of the case (`cli case-reads`); the key's own
 * rate limit (the keys file's `rateLimitPerMinute`) bounds how many it makes.
 */
import { z } from 'zod';
import { mayLookUpStatus } from '../../../domain/authority';
import { UUID } from '../../../domain/case-ids';
import type { ApplicationStatus } from '../../../domain/case-status';
import { nextStepForTheTeacher } from '../../../domain/contact-centre';
import { schemaOnce } from '../../../domain/fields';
import { isValidIin } from '../../../domain/iin';
import { parseInput } from '../../../domain/refusals';
import { applicationRecord, parseView } from '../../../infra/case-store';
import { workflowIdFor } from '../../../infra/identity';
import { statusQuery } from '../../../workflows/messages';
import { StatusLookupAnswer } from '../answers';
import { queryIfRunning } from '../cases';
import { STAGES } from '../console/words';
import { recordRead } from '../entitlement';
import { refuse } from '../refusals';
import { ERRORS, type ApiRoutes } from '../routing';

export const statusLookupSchema = schemaOnce(() =>
  z.strictObject({
    applicationId: z.string().regex(UUID, 'must be an application number (UUID)').meta({ description: 'the application number the teacher gives' }),
    iin: z.string().refine(isValidIin, 'must be 12 digits with a valid check digit').meta({
      pattern: '^[0-9]{12}$',
      description: "the teacher's IIN, which must be the application's",
    }),
  }),
);

export function contactCentreRoutes({ route, deps }: ApiRoutes): void {
  route(
    {
      method: 'POST',
      url: '/contact-centre/status-lookups',
      operationId: 'lookUpStatus',
      summary: "R11: the Unified Contact Centre reads an application's status by its number and the teacher's IIN",
      tag: 'contact-centre',
      scope: 'read',
      body: statusLookupSchema(),
      answers: { 200: StatusLookupAnswer },
      responses: {
        200: 'the state, the dates and the next step, in Kazakh and Russian',
        ...ERRORS,
        403: "the key is not the Unified Contact Centre's (R11)",
        404: 'no application with this number and IIN (a wrong IIN is answered the same as an unknown number)',
      },
    },
    async (request, reply) => {
      const parsed = parseInput(statusLookupSchema(), request.body);
      if (!parsed.ok) return refuse(reply, parsed.error);
      const denied = mayLookUpStatus(request.apiClient!);
      if (denied) return refuse(reply, denied);
      const { applicationId, iin } = parsed.value;
      const unknown = { code: 'not-found', field: 'applicationId', rule: null, message: 'no application with this number and IIN' } as const;
      const row = await applicationRecord(deps.store, applicationId);
      if (!row || row.iin !== iin) return refuse(reply, unknown);
      const view = (await queryIfRunning(deps.client, request, workflowIdFor(applicationId), statusQuery)) ?? parseView<ApplicationStatus>(row.view);
      if (!view) return refuse(reply, unknown);
      await recordRead(deps.store, request, [applicationId]);
      return {
        applicationId,
        state: view.state,
        status: { kk: STAGES[view.state].kk, ru: STAGES[view.state].ru },
        submittedAt: view.submittedAt,
        registeredAt: view.registeredAt,
        decisionDueAt: view.decisionDueAt,
        overdue: view.overdue,
        decidedAt: view.decidedAt,
        complaintPeriodEndsAt: view.complaintPeriodEndsAt,
        nextStep: nextStepForTheTeacher(view),
      };
    },
  );
}
