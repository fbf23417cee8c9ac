/** Routes of the `applications` tag: submit, read, decide, withdraw (R1–R11). */
import { decisionDocumentsSchema, signedDecisionSchema, submissionSchema, withdrawalSchema } from '../../../domain/application';
import { checkSignatures, decisionDocuments, isRefusal } from '../../../infra/decision-documents';
import { parseInput } from '../../../domain/refusals';
import { workflowIdFor } from '../../../infra/identity';
import { decideUpdate, statusQuery, withdrawUpdate } from '../../../workflows/messages';
import { mayDecideCase, mayWithdraw } from '../../../domain/authority';
import { queryIfRunning } from '../cases';
import { partiesOf, entitlementRefusal, readRefusal, recordRead } from '../entitlement';
import { refuse, refuseBadId, UUID } from '../refusals';
import { ERRORS, type ApiRoutes } from '../routing';
import { submitApplication } from '../submission';
import { caseView, complaintsOfCase, noticeView, preparedView } from '../views';
import { applicationRecord, parseView } from '../../../infra/case-store';
import type { ApplicationStatus } from '../../../domain/case-status';
import { CaseAnswer, CaseStatusAnswer, PreparedDocumentsAnswer, SubmittedAnswer } from '../answers';

export function applicationRoutes({ route, deps, updateApplication }: ApiRoutes): void {
  const { client, store } = deps;
  const documents = decisionDocuments({ store, units: deps.units, persons: deps.authorisedPersons });

  route(
    {
      method: 'POST',
      url: '/applications',
      operationId: 'submitApplication',
      summary: 'Submit an application for attestation (R1–R11)',
      description:
        'The standard in force at submittedAt decides the channels it takes and their terms, and the case follows it to its end. ' +
        'Current standard: portal and Platform, registered at the next working moment (R7), decided within one working day (R3). ' +
        "Earlier standard: also the provider's office (during its hours, 20 minutes) and the State Corporation (serviceLocality: 3 or 7 working days; homeVisit on request, R11).",
      tag: 'applications',
      scope: 'submit',
      body: submissionSchema(),
      idempotent: true,
      answers: { 202: SubmittedAnswer },
      links: [
        {
          status: 202,
          to: [
            'getApplication',
            'decideApplication',
            'withdrawApplication',
            'fileComplaint',
            'caseStory',
            'issueResult',
            'requestResultAgain',
            'dispatchResultAgain',
          ],
          parameters: { id: '$response.body#/applicationId' },
        },
        { status: 202, to: ['getCabinet'], parameters: { cabinetId: '$response.body#/cabinetId' } },
      ],
      responses: {
        202: 'accepted for processing: { applicationId, workflowId, cabinetId, state, standard }',
        ...ERRORS,
        403: "the key's role or units do not cover this submission: a portal or Platform key submits on its own channel, a provider's office for its own units (R1)",
        409: 'the teacher already has an application for the academic year (R10); the other application is named only to the system that submitted it',
        422: 'well-formed, but against a rule of the standard in force: the channel (R2), the locality (R3), the hours of an office (R7), a home visit (R11), the campaign window (R10); or an Idempotency-Key reused for another request',
      },
    },
    async (request, reply) => {
      const outcome = await submitApplication(deps, request.body, request.apiClient!);
      return outcome.ok ? reply.code(202).send(outcome.submitted) : refuse(reply, outcome.refusal);
    },
  );

  route(
    {
      method: 'GET',
      url: '/applications/:id',
      operationId: 'getApplication',
      summary: 'An application: state, terms, decision, complaints and documents',
      tag: 'applications',
      scope: 'read',
      params: { id: 'the application id' },
      answers: { 200: CaseAnswer },
      responses: { 200: 'the case', ...ERRORS },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!UUID.test(id)) return refuseBadId(reply, 'id', 'an application id');
      const unreadable = readRefusal('application', 'id', id, await partiesOf(deps, id), request.apiClient!);
      if (unreadable) return refuse(reply, unreadable);
      const status = await queryIfRunning(client, request, workflowIdFor(id), statusQuery);
      const row = await applicationRecord(store, id);
      if (!status && !row) return refuse(reply, { code: 'not-found', field: 'id', rule: null, message: `no application ${id}` });
      // The workflow's status while its history exists; the status it last recorded once it is gone (issue 29).
      const view = status ?? parseView<ApplicationStatus>(row?.view ?? null);
      if (!view)
        return refuse(reply, { code: 'unavailable', field: null, rule: null, message: `application ${id} is being recorded; try again shortly` });
      await recordRead(store, request, [id]);
      return {
        applicationId: id,
        // R1: the unit that provides the service, whose authorised persons decide it (issue 31)
        providerUnit: row?.providerUnit ?? null,
        ...caseView(view),
        complaints: complaintsOfCase(id, row?.complaints ?? [], view),
        notices: (row?.notices ?? []).map(noticeView),
      };
    },
  );

  // Issue 31: the official takes the decision with their own signature: the documents are prepared for them to sign.
  route(
    {
      method: 'POST',
      url: '/applications/:id/decision/documents',
      operationId: 'prepareDecisionDocuments',
      summary:
        "The documents the provider's decision will issue, prepared for the deciding official to sign (issue 31): the result in Kazakh and in Russian, dated now, naming the authorised person (official: their id in GET /authorised-persons); nothing changes",
      tag: 'applications',
      scope: 'decide',
      params: { id: 'the application id' },
      body: decisionDocumentsSchema(),
      answers: { 200: PreparedDocumentsAnswer },
      responses: {
        200: 'the documents to sign, each as the exact text (UTF-8) a detached CMS signs, and preparedAt, which the decision repeats',
        ...ERRORS,
        403: "the key is not a provider's key for the case's unit (R1); or the person is no authorised person of the case's unit",
        422: 'a refusal without its grounds or motivation (R9); or official names no person of the registry of authorised persons',
      },
    },
    async (request, reply) => {
      if (!UUID.test(request.params.id)) return refuseBadId(reply, 'id', 'an application id');
      const parsed = parseInput(decisionDocumentsSchema(), request.body);
      if (!parsed.ok) return refuse(reply, parsed.error);
      const denied = entitlementRefusal('application', request.params.id, await partiesOf(deps, request.params.id), (kase) =>
        mayDecideCase(request.apiClient!, kase),
      );
      if (denied) return refuse(reply, denied);
      const prepared = await documents.forResult(request.params.id, parsed.value, deps.now());
      if (isRefusal(prepared)) return refuse(reply, prepared);
      return preparedView(prepared);
    },
  );

  route(
    {
      method: 'POST',
      url: '/applications/:id/decision',
      operationId: 'decideApplication',
      summary:
        "The provider's decision: accept, or refuse with grounds and motivation (R3, R9), signed by the deciding official with their own certificate over the documents prepared for it (issue 31)",
      tag: 'applications',
      scope: 'decide',
      params: { id: 'the application id' },
      body: signedDecisionSchema(),
      answers: { 200: CaseStatusAnswer },
      responses: {
        200: 'the case after the decision; its documents are the ones the official signed',
        ...ERRORS,
        403: "the key is not a provider's key for the case's unit (R1); or the signer is no authorised person of the case's unit, or not the person the documents name",
        409: 'the case does not take a decision now (not under review, closed)',
        422: 'a refusal without its grounds or motivation, or on a ground its standard does not have (R9); a signature not over the prepared documents, by a certificate that does not chain to the trust anchors or is not current, or documents prepared more than a day ago',
      },
    },
    async (request, reply) => {
      if (!UUID.test(request.params.id)) return refuseBadId(reply, 'id', 'an application id');
      const parsed = parseInput(signedDecisionSchema(), request.body);
      if (!parsed.ok) return refuse(reply, parsed.error);
      const denied = entitlementRefusal('application', request.params.id, await partiesOf(deps, request.params.id), (kase) =>
        mayDecideCase(request.apiClient!, kase),
      );
      if (denied) return refuse(reply, denied);
      const { preparedAt, signatures, ...decision } = parsed.value;
      const prepared = await documents.forResult(request.params.id, decision, new Date(preparedAt));
      if (isRefusal(prepared)) return refuse(reply, prepared);
      const signed = await checkSignatures(prepared, signatures, deps.signatureVerifier, deps.now());
      if (isRefusal(signed)) return refuse(reply, signed);
      return updateApplication(
        request.params.id,
        reply,
        (workflowId) =>
          client.workflow.getHandle(workflowId).executeUpdate(decideUpdate, { args: [{ ...decision, official: prepared.person.name }, signed] }),
        { code: 'decision-not-allowed', field: 'decision', rule: 'R3' },
      );
    },
  );

  route(
    {
      method: 'POST',
      url: '/applications/:id/withdrawal',
      operationId: 'withdrawApplication',
      summary: 'The applicant withdraws the application, before the decision',
      tag: 'applications',
      scope: 'submit',
      params: { id: 'the application id' },
      body: withdrawalSchema(),
      answers: { 200: CaseStatusAnswer },
      responses: { 200: 'the withdrawn case', ...ERRORS, 403: 'the key did not submit this application (R1)', 409: 'decided already, or closed' },
    },
    async (request, reply) => {
      const parsed = parseInput(withdrawalSchema(), request.body ?? {});
      if (!parsed.ok) return refuse(reply, parsed.error);
      const denied = entitlementRefusal('application', request.params.id, await partiesOf(deps, request.params.id), (kase) =>
        mayWithdraw(request.apiClient!, kase),
      );
      if (denied) return refuse(reply, denied);
      return updateApplication(
        request.params.id,
        reply,
        (workflowId) => client.workflow.getHandle(workflowId).executeUpdate(withdrawUpdate, { args: [parsed.value] }),
        { code: 'withdrawal-not-allowed', field: 'id', rule: null },
      );
    },
  );
}
