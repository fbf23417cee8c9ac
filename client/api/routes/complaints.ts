/** Routes of the `complaints` tag: file, read, forward and decide complaints against a result (R13). */
import type { FastifyReply } from 'fastify';
import { submittedAtRefusal } from '../../../domain/application';
import {
  complaintDecisionDocumentsSchema,
  complaintForwardingSchema,
  complaintSchema,
  signedComplaintDecisionSchema,
  type ComplaintDecider,
} from '../../../domain/complaint';
import type { z } from 'zod';
import { checkSignatures, decisionDocuments, isRefusal } from '../../../infra/decision-documents';
import { parseInput } from '../../../domain/refusals';
import { complaintWorkflowIdFor } from '../../../infra/identity';
import { complaintStatusQuery, decideComplaintUpdate, fileComplaintUpdate, forwardComplaintUpdate } from '../../../workflows/messages';
import { complaintDeciderOf, mayFileComplaint, mayForwardComplaint } from '../../../domain/authority';
import { queryIfRunning, sendUpdate } from '../cases';
import { complaintPartiesOf, decidersOf, entitlementRefusal, partiesOf, readRefusal, recordRead } from '../entitlement';
import { fileAgainstClosedCase } from '../late-complaints';
import { refuse, refuseBadId, UUID, type ApiRefusal } from '../refusals';
import { ERRORS, type ApiRoutes } from '../routing';
import { complaintView, noticeView, preparedView } from '../views';
import { complaintRecord, parseView, recordedOutcome } from '../../../infra/case-store';
import type { ComplaintStatus } from '../../../domain/case-status';
import { ComplaintAnswer, ComplaintStatusAnswer, FiledComplaintAnswer, PreparedDocumentsAnswer } from '../answers';

export function complaintRoutes({ route, deps, updateApplication }: ApiRoutes): void {
  const { client, store, now } = deps;
  const documents = decisionDocuments({ store, units: deps.units, persons: deps.authorisedPersons });

  /** An update of a complaint's workflow (R13); one whose workflow has ended is told how it was decided. */
  const updateComplaint = <T>(reply: FastifyReply, id: string, field: string, then: string, send: (workflowId: string) => Promise<T>) =>
    sendUpdate(
      client,
      reply,
      {
        workflowId: complaintWorkflowIdFor(id),
        what: 'complaint',
        id,
        closed: {
          code: 'complaint-decision-not-allowed',
          field,
          rule: 'R13',
          message: async () => `the complaint has been decided (${(await recordedOutcome(store, id)) ?? 'finished'}); ${then}`,
        },
      },
      send,
    );

  // R13: a complaint against the application's result, registered by the same working-time rule (R7).
  route(
    {
      method: 'POST',
      url: '/applications/:id/complaints',
      operationId: 'fileComplaint',
      summary:
        "A complaint against the result, the lateness of the decision, or the provider's inaction while it is overdue (subject), through the provider to the body above it (the provider may satisfy it in full within 3 working days; decided within 5) or to the quality-control authority (15); one after the three months is registered as late (R13, APPK art. 92)",
      tag: 'complaints',
      scope: 'submit',
      params: { id: 'the application id' },
      body: complaintSchema(),
      idempotent: true,
      answers: { 202: FiledComplaintAnswer },
      links: [{ status: 202, to: ['getComplaint', 'decideComplaint'], parameters: { id: '$response.body#/complaintId' } }],
      responses: {
        202: 'registered: { complaintId, workflowId, addressee, subject, late, registeredAt, dueAt }',
        ...ERRORS,
        403: 'the key is not a submitting system: a provider or the authority does not file complaints (R1)',
        409: 'no complaint now: the result is not delivered yet (or, against inaction, the decision is not overdue), or the quality-control authority has decided on the result (a late complaint is registered, APPK art. 92)',
        422: 'an Idempotency-Key reused for another request',
      },
    },
    async (request, reply) => {
      const parsed = parseInput(complaintSchema(), request.body);
      if (!parsed.ok) return refuse(reply, parsed.error);
      if (!UUID.test(request.params.id)) return refuseBadId(reply, 'id', 'an application id');
      const denied = entitlementRefusal('application', request.params.id, await partiesOf(deps, request.params.id), (kase) =>
        mayFileComplaint(request.apiClient!, kase),
      );
      if (denied) return refuse(reply, denied);
      const filing = { ...parsed.value, submittedAt: parsed.value.submittedAt ?? now().toISOString() };
      const untimely = submittedAtRefusal(filing.submittedAt, now(), deps.submissionMaxDelayMs);
      if (untimely) return refuse(reply, untimely);
      return updateApplication(
        request.params.id,
        reply,
        (workflowId) => client.workflow.getHandle(workflowId).executeUpdate(fileComplaintUpdate, { args: [filing] }),
        { code: 'complaint-not-allowed', field: 'id', rule: 'R13' },
        (state) =>
          state === 'withdrawn'
            ? 'the application was withdrawn; there is no result to contest'
            : 'the administrative stage of this case is over; the result may now be contested in court (Administrative Procedural Code art. 91 §5)',
        202,
        // APPK art. 92: a case closed by its period still takes a complaint, as a late one, outside its workflow.
        async (state) => {
          if (state !== 'closed') return undefined;
          const late = await fileAgainstClosedCase(deps, request.params.id, filing);
          return late.ok ? reply.code(202).send(late.filed) : refuse(reply, late.refusal);
        },
      );
    },
  );

  route(
    {
      method: 'GET',
      url: '/complaints/:id',
      operationId: 'getComplaint',
      summary: 'A complaint: registration, term, overdue flag, outcome and its signed decision (R13)',
      tag: 'complaints',
      scope: 'read',
      params: { id: 'the complaint id' },
      answers: { 200: ComplaintAnswer },
      responses: { 200: 'the complaint', ...ERRORS },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!UUID.test(id)) return refuseBadId(reply, 'id', 'a complaint id');
      const unreadable = readRefusal('complaint', 'id', id, (await complaintPartiesOf(deps, id))?.parties ?? null, request.apiClient!);
      if (unreadable) return refuse(reply, unreadable);
      const status = await queryIfRunning(client, request, complaintWorkflowIdFor(id), complaintStatusQuery);
      const row = await complaintRecord(store, id);
      if (!status && !row) return refuse(reply, { code: 'not-found', field: 'id', rule: null, message: `no complaint ${id}` });
      // Its workflow's status while the history exists; the status it last recorded once it is gone (issue 29).
      const view = status ?? parseView<ComplaintStatus>(row?.view ?? null);
      if (!view)
        return refuse(reply, { code: 'unavailable', field: null, rule: null, message: `complaint ${id} is being recorded; try again shortly` });
      await recordRead(store, request, [view.applicationId]);
      return { ...complaintView(view, row?.reviewingUnit ?? null), documents: (row?.notices ?? []).map(noticeView) };
    },
  );

  /**
   * A decision's request on a complaint, checked in order: the body's form, the complaint known (404), then the
   * capacity its outcome needs (APPK art. 91 §4: the body reviewing it, or the provider it was filed through, which
   * only satisfies it).
   */
  async function decisionRequest<T extends { outcome: string }>(
    request: { params: Record<string, string>; body: unknown; apiClient?: Parameters<typeof complaintDeciderOf>[0] },
    schema: z.ZodType<T>,
  ): Promise<{ value: T; as: ComplaintDecider | null } | { refusal: ApiRefusal }> {
    const { id } = request.params;
    const parsed = parseInput(schema, request.body);
    if (!parsed.ok) return { refusal: parsed.error };
    const deciders = await decidersOf(deps, id);
    if (!deciders) return { refusal: { code: 'not-found', field: 'id', rule: null, message: `no complaint ${id}` } };
    const decider = complaintDeciderOf(request.apiClient!, deciders, parsed.value.outcome);
    return 'code' in decider ? { refusal: decider } : { value: parsed.value, as: decider.as };
  }

  // Issue 31: the official takes the decision with their own signature: the documents are prepared for them to sign.
  route(
    {
      method: 'POST',
      url: '/complaints/:id/decision/documents',
      operationId: 'prepareComplaintDecisionDocuments',
      summary:
        "The complaint's decision as it will be issued, prepared for the deciding official to sign (issue 31): in Kazakh and in Russian, dated now, naming the authorised person of the deciding body (official: their id in GET /authorised-persons); nothing changes",
      tag: 'complaints',
      scope: 'decide',
      params: { id: 'the complaint id' },
      body: complaintDecisionDocumentsSchema(),
      answers: { 200: PreparedDocumentsAnswer },
      responses: {
        200: 'the documents to sign, each as the exact text (UTF-8) a detached CMS signs, and preparedAt, which the decision repeats',
        ...ERRORS,
        403: "the key is not the reviewing body's, nor the provider's it was filed through (which only satisfies it); or the person is no authorised person of the deciding unit (R1, R13)",
        422: 'official names no person of the registry of authorised persons',
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!UUID.test(id)) return refuseBadId(reply, 'id', 'a complaint id');
      const checked = await decisionRequest(request, complaintDecisionDocumentsSchema());
      if ('refusal' in checked) return refuse(reply, checked.refusal);
      const { value: parsed, as } = checked;
      const prepared = await documents.forComplaint(id, parsed, as, now());
      if (isRefusal(prepared)) return refuse(reply, prepared);
      return preparedView(prepared);
    },
  );

  route(
    {
      method: 'POST',
      url: '/complaints/:id/decision',
      operationId: 'decideComplaint',
      summary:
        "The reviewing body's motivated decision on a complaint, on its merits: upheld, partly-upheld or rejected; for a late one, whether the period is restored (periodRestored: APPK art. 92 §2); not restored, it is rejected (§3), never left without consideration for its lateness (R13); signed by the deciding official with their own certificate over the documents prepared for it (issue 31)",
      tag: 'complaints',
      scope: 'decide',
      params: { id: 'the complaint id' },
      body: signedComplaintDecisionSchema(),
      answers: { 200: ComplaintStatusAnswer },
      responses: {
        200: 'the complaint after the decision; its document is the one the official signed',
        ...ERRORS,
        403: "the key is not the reviewing body's (the body above the provider, or the quality-control authority's department), nor the provider's the complaint was filed through; or it is that provider's and the outcome is not upheld: a provider satisfies a complaint against its own act in full or forwards it, never rejects it (R1, R13, APPK art. 91 §4); or the signer is no authorised person of the deciding unit, or not the person the documents name",
        409: 'not under review (not registered yet, or decided), or with the provider while the reviewing body decides, or forwarded while the provider decides',
        422: 'a signature not over the prepared documents, by a certificate that does not chain to the trust anchors or is not current, or documents prepared more than a day ago',
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!UUID.test(id)) return refuseBadId(reply, 'id', 'a complaint id');
      const checked = await decisionRequest(request, signedComplaintDecisionSchema());
      if ('refusal' in checked) return refuse(reply, checked.refusal);
      const { value: parsed, as } = checked;
      const { preparedAt, signatures, ...decision } = parsed;
      const prepared = await documents.forComplaint(id, decision, as, new Date(preparedAt));
      if (isRefusal(prepared)) return refuse(reply, prepared);
      const signed = await checkSignatures(prepared, signatures, deps.signatureVerifier, now());
      if (isRefusal(signed)) return refuse(reply, signed);
      return updateComplaint(reply, id, 'outcome', 'its decision is in the personal cabinet', (workflowId) =>
        client.workflow
          .getHandle(workflowId)
          .executeUpdate(decideComplaintUpdate, { args: [{ ...decision, official: prepared.person.name }, { as }, signed] }),
      );
    },
  );

  // APPK art. 91 §4: the provider sends a complaint filed through it on to the body above, with the case file.
  route(
    {
      method: 'POST',
      url: '/complaints/:id/forwarding',
      operationId: 'forwardComplaint',
      summary:
        "The provider a complaint was filed through sends it on to the body above it, which decides it within the 5 working days from registration; unforwarded, it goes on by itself when the provider's 3 working days end (R13, APPK art. 91 §4)",
      tag: 'complaints',
      scope: 'decide',
      params: { id: 'the complaint id' },
      body: complaintForwardingSchema(),
      answers: { 200: ComplaintStatusAnswer },
      responses: {
        200: 'the complaint, forwarded',
        ...ERRORS,
        403: "the key is not the provider's the complaint was filed through (R1, R13)",
        409: 'not with the provider (not registered yet, forwarded already, or decided)',
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!UUID.test(id)) return refuseBadId(reply, 'id', 'a complaint id');
      const parsed = parseInput(complaintForwardingSchema(), request.body);
      if (!parsed.ok) return refuse(reply, parsed.error);
      const denied = entitlementRefusal('complaint', id, await decidersOf(deps, id), (deciders) => mayForwardComplaint(request.apiClient!, deciders));
      if (denied) return refuse(reply, denied);
      return updateComplaint(reply, id, 'id', 'there is nothing to forward', (workflowId) =>
        client.workflow.getHandle(workflowId).executeUpdate(forwardComplaintUpdate, { args: [parsed.value] }),
      );
    },
  );
}
