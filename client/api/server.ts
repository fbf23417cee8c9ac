/**
 * The HTTP API for upstream systems (the e-government portal, the Platform) and operators.
 * Thin: it validates with the domain schemas, starts and talks to workflows, and reads the case store.
 */
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { QueryDefinition } from '@temporalio/common';
import { DecisionSchema, SubmissionSchema, WithdrawalSchema, parseInput, type ApplicationInput, type InputError } from '../../domain/application';
import { ComplaintDecisionSchema, ComplaintSchema } from '../../domain/complaint';
import { WorkingCalendar, formatInstant } from '../../domain/calendar';
import { CUSTODY_BODIES, type CustodyEvent } from '../../domain/custody';
import type { z } from 'zod';
import { STANDARDS, SHIPPED_SCHEDULE, intakeRefusal, standardInForce, takenInPerson, type StandardInForce } from '../../domain/standards';
import { readCalendarOverrides } from '../../infra/calendar-overrides';
import { campaignWindow, withinWindow, type CampaignWindow } from '../../domain/campaign';
import { CategoryKey, ChannelKey, ProviderUnitKey, ApplicationStateKey, StandardKey } from '../../domain/search-attributes';
import type { Store } from '../../infra/store';
import {
  complaintStatusQuery,
  decideComplaintUpdate,
  decideUpdate,
  fileComplaintUpdate,
  resultCustodyUpdate,
  statusQuery,
  withdrawUpdate,
} from '../../workflows/messages';
import { applicationIdFor, cabinetIdFor, complaintWorkflowIdFor, workflowIdFor } from '../../infra/identity';
import { authenticate, type ApiClient, type ApiKeyEntry } from './auth';
import { claim, settle } from './idempotency';
import { openApiDocument, type RouteDoc } from './openapi';
import { CodecSessions, registerCodecServer } from './codec-server';
import type { EncryptionCodec } from '../../infra/payload-codec';
import { caseStory, custodyFromRow, findStuckCases } from '../inspector';

export interface ApiDeps {
  client: Client;
  store: Store;
  taskQueue: string;
  /** the key of the application-id hash (see identity.ts) */
  identitySecret: string;
  /** the clock for submissions that carry no `submittedAt` */
  now?: () => Date;
  /** R5: the certificate that verifies the signatures of result documents, as published (PEM) */
  certificatePem?: () => string;
  /** R10: the campaign windows the authorised body set (the whole academic year where none is set) */
  campaignWindows?: readonly CampaignWindow[];
  /** which standard is in force from when (STANDARD_SCHEDULE; the shipped schedule by default) */
  standardSchedule?: readonly StandardInForce[];
  /** pino options for one JSON line per request (no personal data: ids only, never bodies); off by default */
  logger?: boolean | { level: string };
  /** the API keys accepted, each with its scopes (client/api/auth.ts) */
  apiKeys: readonly ApiKeyEntry[];
  /** the payload codec: when given, the API serves the codec server for the Temporal UI at /codec */
  codec?: EncryptionCodec;
  /** the Temporal UI's origins allowed to call the codec server from a browser */
  codecCorsOrigins?: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the authenticated caller */
    apiClient?: ApiClient;
    /** the idempotency record this request answers, when it carries a key */
    idempotencyId?: string;
  }
}

type Handler = (request: FastifyRequest<{ Params: Record<string, string> }>, reply: FastifyReply) => Promise<unknown>;

const ERRORS = {
  400: 'malformed input: bad JSON, a missing or unknown field, a value of the wrong form (the field is named)',
  401: 'no API key, or an unknown one',
  403: "the key's client lacks the scope this route needs",
  404: 'no such case',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type NoticeRow = {
  id: string;
  kind: string;
  round: number;
  supersededAt: Date | null;
  complaintId: string | null;
  language: string;
  createdAt: Date;
  body: string;
  signature: string | null;
  certificateFingerprint: string | null;
};

function noticeView(n: NoticeRow) {
  return {
    noticeId: n.id,
    kind: n.kind,
    round: n.round,
    // R13: a result an upheld complaint overturned stays in the cabinet, marked as no longer in force
    supersededAt: n.supersededAt?.toISOString() ?? null,
    complaintId: n.complaintId,
    language: n.language,
    createdAt: n.createdAt.toISOString(),
    body: n.body,
    signature: n.signature && { format: 'CMS SignedData (detached, DER, base64) over the UTF-8 bytes of body', value: n.signature, certificateFingerprint: n.certificateFingerprint },
  };
}

type ComplaintRow = {
  id: string;
  applicationId: string;
  addressee: string;
  state: string;
  overdue: boolean;
  submittedAt: Date;
  registeredAt: Date;
  dueAt: Date;
  contestedRound: number;
  outcome: string | null;
  motivation: string | null;
  official: string | null;
  decidedAt: Date | null;
};

/** A complaint from its row, for cases whose workflow is no longer running. */
function complaintFromRow(c: ComplaintRow) {
  return {
    complaintId: c.id,
    applicationId: c.applicationId,
    addressee: c.addressee,
    state: c.state,
    overdue: c.overdue,
    submittedAt: c.submittedAt.toISOString(),
    registeredAt: c.registeredAt.toISOString(),
    dueAt: c.dueAt.toISOString(),
    contestedRound: c.contestedRound,
    outcome: c.outcome,
    motivation: c.motivation,
    official: c.official,
    decidedAt: c.decidedAt?.toISOString() ?? null,
  };
}

/** A validator's refusal names its field when its words start with it ("submittedAt: …"). */
function fieldOf(message: string, fallback: string): string {
  return /^([a-zA-Z]+):/.exec(message)?.[1] ?? fallback;
}

/** 400 for a path id that is not a UUID, naming the parameter. */
function refuseBadId(reply: FastifyReply, field: 'id' | 'cabinetId', what: string) {
  return refuse(reply, 400, { code: 'invalid-field', field, rule: null, message: `${field}: must be ${what} (UUID)` });
}

function refuse(reply: FastifyReply, status: number, error: InputError | (Omit<InputError, 'code'> & { code: string })) {
  return reply.code(status).send({ error });
}

export function buildApi({
  client,
  store,
  taskQueue,
  identitySecret,
  now = () => new Date(),
  campaignWindows = [],
  standardSchedule = SHIPPED_SCHEDULE,
  certificatePem,
  logger = false,
  apiKeys,
  codec,
  codecCorsOrigins = ['http://localhost:8233', 'http://127.0.0.1:8233'],
}: ApiDeps): FastifyInstance {
  const app = Fastify({ logger, bodyLimit: 1_048_576 });
  const routes: RouteDoc[] = [];
  const sessions = new CodecSessions(identitySecret);

  /**
   * Registers a route from its definition: the caller's key is checked for the route's scope, an idempotent
   * route answers a repeated key once, and the definition joins the OpenAPI document.
   */
  function route(doc: RouteDoc, handler: Handler): void {
    routes.push(doc);
    app.route<{ Params: Record<string, string> }>({
      method: doc.method,
      url: doc.url,
      preHandler: async (request, reply) => {
        if (doc.scope === null) return;
        const caller =
          authenticate(request.headers.authorization, apiKeys) ??
          (doc.sessionCookie && !request.headers.authorization ? sessions.verify(request.headers.cookie) : null);
        if (!caller) {
          reply.header('www-authenticate', 'Bearer');
          return refuse(reply, 401, { code: 'unauthenticated', field: 'Authorization', rule: null, message: 'send Authorization: Bearer <API key>' });
        }
        if (!caller.scopes.includes(doc.scope)) {
          return refuse(reply, 403, { code: 'forbidden', field: 'Authorization', rule: null, message: `client ${caller.client} lacks the ${doc.scope} scope this route needs` });
        }
        request.apiClient = caller;
        if (!doc.idempotent) return;
        const found = await claim(store, request, caller.client);
        if (found.kind === 'refused') return reply.code(found.refusal.status).send({ error: found.refusal.error });
        if (found.kind === 'replay') return reply.code(found.status).header('idempotent-replayed', 'true').send(found.body);
        if (found.kind === 'first') request.idempotencyId = found.id;
      },
      handler,
    });
  }

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.idempotencyId) await settle(store, request.idempotencyId, reply, payload);
    return payload;
  });

  // A body that is not JSON is refused with the same error shape as any other bad input.
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) app.log.error(error);
    return refuse(reply, status, {
      code: status === 500 ? 'internal' : 'malformed-body',
      field: null,
      rule: null,
      message: status === 500 ? 'internal error' : `the body could not be read as JSON: ${error.message}`,
    });
  });

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
      body: SubmissionSchema,
      idempotent: true,
      responses: {
        202: 'accepted for processing: { applicationId, workflowId, cabinetId, state }',
        ...ERRORS,
        409: 'the teacher already has an application for the academic year (R10)',
        422: 'well-formed, but against a rule of the standard in force: the channel (R2), the locality (R3), the hours of an office (R7), a home visit (R11), the campaign window (R10); or an Idempotency-Key reused for another request',
      },
    },
    async (request, reply) => {
      const parsed = parseInput(SubmissionSchema, request.body);
      // Well-formed input that breaks a rule of the standard (R2) is 422; malformed input is 400.
      if (!parsed.ok) return refuse(reply, parsed.error.rule ? 422 : 400, parsed.error);
      const submission = parsed.value;
      const submittedAt = submission.submittedAt ? new Date(submission.submittedAt) : now();
      const window = campaignWindow(submission.academicYear, campaignWindows);
      if (!withinWindow(submittedAt, window)) {
        return refuse(reply, 422, {
          code: 'outside-campaign',
          field: 'submittedAt',
          rule: 'R10',
          message: `applications for ${submission.academicYear} are accepted from ${formatInstant(new Date(window.opens))} until ${formatInstant(new Date(window.closes))} (${window.basis}); this one was submitted ${formatInstant(submittedAt)}`,
        });
      }
      // The standard in force at submission; the case is pinned to it (a later change of standard leaves it be).
      const inForce = standardInForce(submittedAt, standardSchedule);
      const standard = STANDARDS[inForce.standard];
      // Only a place's hours need the operators' overrides: portal and Platform submissions skip the read.
      const calendar = new WorkingCalendar(takenInPerson(standard, submission.channel) ? await readCalendarOverrides(store) : []);
      const refusal = intakeRefusal(standard, { ...submission, submittedAt: submittedAt.toISOString() }, calendar, inForce.from);
      if (refusal) return refuse(reply, 422, refusal);
      const applicationId = applicationIdFor(submission.iin, submission.academicYear, identitySecret);
      const workflowId = workflowIdFor(applicationId);
      const input: ApplicationInput = {
        ...submission,
        applicationId,
        submittedAt: submission.submittedAt ?? submittedAt.toISOString(),
        cabinetId: cabinetIdFor(submission.iin, identitySecret),
        campaignWindow: window,
        standard: standard.id,
      };
      try {
        await client.workflow.start('applicationWorkflow', {
          taskQueue,
          workflowId,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [
            { key: ApplicationStateKey, value: 'received' },
            { key: CategoryKey, value: submission.category },
            { key: ChannelKey, value: submission.channel },
            { key: ProviderUnitKey, value: submission.providerUnit },
            { key: StandardKey, value: standard.id },
          ],
          staticSummary: `Attestation application: ${submission.category} via ${submission.channel}, ${submission.academicYear}, under ${standard.id}`,
          staticDetails: `Submitted ${formatInstant(new Date(input.submittedAt))} to ${submission.providerUnit}`,
        });
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          return refuse(reply, 409, {
            code: 'duplicate-application',
            field: 'iin',
            rule: 'R10',
            message: `this teacher already has an application for the academic year ${submission.academicYear} (${applicationId}); attestation happens once per academic year`,
          });
        }
        throw error;
      }
      return reply.code(202).send({ applicationId, workflowId, cabinetId: input.cabinetId, state: 'received', standard: standard.id });
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
      responses: { 200: 'the case', ...ERRORS },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!UUID.test(id)) return refuseBadId(reply, 'id', 'an application id');
      const status = await queryIfRunning(request, workflowIdFor(id), statusQuery);
      const row = await store.application.findUnique({
        where: { id },
        include: { notices: { orderBy: [{ createdAt: 'asc' }, { language: 'asc' }] }, complaints: { orderBy: { submittedAt: 'asc' } } },
      });
      if (!status && !row) return refuse(reply, 404, { code: 'not-found', field: 'id', rule: null, message: `no application ${id}` });
      const rows = new Map((row?.complaints ?? []).map((c) => [c.id, complaintFromRow(c)]));
      // The workflow knows a complaint the moment it is filed; the row adds its state, overdue flag and motivation.
      const complaints = status
        ? status.complaints.map((c) => ({ ...c, ...rows.get(c.complaintId), outcome: c.outcome ?? rows.get(c.complaintId)?.outcome ?? null }))
        : [...rows.values()];
      return {
        applicationId: id,
        // The running workflow is the truth; the case store answers for cases whose workflow is gone.
        ...(status
          ? {
              standard: status.standard,
              channel: status.channel,
              state: status.state,
              submittedAt: status.submittedAt,
              registeredAt: status.registeredAt,
              decisionDueAt: status.decisionDueAt,
              overdue: status.overdue,
              decision: status.decision,
              refusalGrounds: status.refusalGrounds,
              round: status.round,
              supersededResults: status.supersededResults,
              complaintPeriodEndsAt: status.complaintPeriodEndsAt,
              preTrialCompletedAt: status.preTrialCompletedAt,
              custody: status.custody,
            }
          : {
              standard: row!.standard,
              channel: row!.channel,
              state: row!.state,
              submittedAt: row!.submittedAt.toISOString(),
              registeredAt: row!.registeredAt?.toISOString() ?? null,
              decisionDueAt: row!.decisionDueAt?.toISOString() ?? null,
              overdue: row!.overdue,
              decision: row!.decision,
              refusalGrounds: row!.decision === 'refuse' ? row!.refusalGrounds : null,
              round: row!.round,
              supersededResults: [],
              complaintPeriodEndsAt: row!.complaintPeriodEndsAt?.toISOString() ?? null,
              preTrialCompletedAt: row!.preTrialCompletedAt?.toISOString() ?? null,
              custody: custodyFromRow(row!),
            }),
        complaints,
        notices: (row?.notices ?? []).map(noticeView),
      };
    },
  );

  // R5, R11: the applicant's personal cabinet — every result document of every application, signed.
  route(
    {
      method: 'GET',
      url: '/cabinets/:cabinetId',
      operationId: 'getCabinet',
      summary: "The applicant's personal cabinet: every signed document of every application (R5, R11, R13)",
      tag: 'cabinets',
      scope: 'read',
      params: { cabinetId: 'the cabinet id given at submission' },
      responses: { 200: 'the cabinet', ...ERRORS },
    },
    async (request, reply) => {
      const { cabinetId } = request.params;
      if (!UUID.test(cabinetId)) return refuseBadId(reply, 'cabinetId', 'a cabinet id');
      const applications = await store.application.findMany({
        where: { cabinetId },
        orderBy: { submittedAt: 'asc' },
        include: { notices: { orderBy: [{ createdAt: 'asc' }, { language: 'asc' }] } },
      });
      if (applications.length === 0) return refuse(reply, 404, { code: 'not-found', field: 'cabinetId', rule: null, message: `no cabinet ${cabinetId}` });
      return {
        cabinetId,
        applications: applications.map((a) => ({
          applicationId: a.id,
          category: a.category,
          academicYear: a.academicYear,
          state: a.state,
          // R13: when the administrative (pre-trial) stage ended — what a court asks for
          preTrialCompletedAt: a.preTrialCompletedAt?.toISOString() ?? null,
          documents: a.notices.map(noticeView),
        })),
      };
    },
  );

  route(
    {
      method: 'GET',
      url: '/signing-certificate',
      operationId: 'getSigningCertificate',
      summary: 'The certificate (PEM) that verifies the signatures of the documents (R5)',
      tag: 'service',
      scope: null,
      produces: 'application/x-pem-file',
      responses: { 200: 'the certificate', 404: 'none published here' },
    },
    async (request, reply) => {
      if (!certificatePem) return refuse(reply, 404, { code: 'not-found', field: null, rule: null, message: 'no signing certificate is published here' });
      return reply.type('application/x-pem-file').send(certificatePem());
    },
  );

  /** A workflow's own view of its case, or null when it is gone (or does not answer: the case store answers then). */
  async function queryIfRunning<T>(request: FastifyRequest, workflowId: string, query: QueryDefinition<T>): Promise<T | null> {
    try {
      return await client.workflow.getHandle(workflowId).query(query);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) request.log.warn({ err: error, workflowId }, 'query failed; answering from the case store');
      return null;
    }
  }

  /**
   * Sends an update to a case's workflow, answering in the API's error shape: 404 for an unknown case, 409 for
   * one whose workflow has finished or whose validator refused (with its words, and the field they name).
   */
  async function sendUpdate<T>(
    reply: FastifyReply,
    target: { workflowId: string; what: string; id: string; closed: () => Promise<string> },
    send: (workflowId: string) => Promise<T>,
    refusal: { code: string; field: string; rule: string | null },
    answered = 200,
  ) {
    try {
      return reply.code(answered).send(await send(target.workflowId));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        // An update cannot reach a workflow that has finished: tell a closed case from an unknown one.
        const finished = await client.workflow.getHandle(target.workflowId).describe().then(() => true, () => false);
        if (!finished) return refuse(reply, 404, { code: 'not-found', field: 'id', rule: null, message: `no ${target.what} ${target.id}` });
        return refuse(reply, 409, { ...refusal, message: await target.closed() });
      }
      if (error instanceof WorkflowUpdateFailedError) {
        const cause = error.cause instanceof Error ? error.cause.message : error.message;
        return refuse(reply, 409, { ...refusal, field: fieldOf(cause, refusal.field), message: cause });
      }
      throw error;
    }
  }

  /** Sends an update to the application's workflow. */
  async function updateApplication<T>(
    id: string,
    reply: FastifyReply,
    send: (workflowId: string) => Promise<T>,
    refusal: { code: string; field: string; rule: string | null },
    closedMessage: (state: string) => string = (state) => `the application is closed (${state})`,
    answered = 200,
  ) {
    if (!UUID.test(id)) return refuseBadId(reply, 'id', 'an application id');
    const closed = async () => {
      const row = await store.application.findUnique({ where: { id }, select: { state: true } });
      return closedMessage(row?.state ?? 'finished');
    };
    return sendUpdate(reply, { workflowId: workflowIdFor(id), what: 'application', id, closed }, send, refusal, answered);
  }

  route(
    {
      method: 'POST',
      url: '/applications/:id/decision',
      operationId: 'decideApplication',
      summary: "The provider's decision: accept, or refuse with grounds and motivation (R3, R9)",
      tag: 'applications',
      scope: 'decide',
      params: { id: 'the application id' },
      body: DecisionSchema,
      responses: { 200: 'the case after the decision', ...ERRORS, 409: 'the case does not take a decision now (not under review, closed)' },
    },
    async (request, reply) => {
      const parsed = parseInput(DecisionSchema, request.body);
      if (!parsed.ok) return refuse(reply, 400, parsed.error);
      return updateApplication(
        request.params.id,
        reply,
        (workflowId) => client.workflow.getHandle(workflowId).executeUpdate(decideUpdate, { args: [parsed.value] }),
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
      body: WithdrawalSchema,
      responses: { 200: 'the withdrawn case', ...ERRORS, 409: 'decided already, or closed' },
    },
    async (request, reply) => {
      const parsed = parseInput(WithdrawalSchema, request.body ?? {});
      if (!parsed.ok) return refuse(reply, 400, parsed.error);
      return updateApplication(
        request.params.id,
        reply,
        (workflowId) => client.workflow.getHandle(workflowId).executeUpdate(withdrawUpdate, { args: [parsed.value] }),
        { code: 'withdrawal-not-allowed', field: 'id', rule: null },
      );
    },
  );

  // R5, R14 (earlier standard): the result's way through the State Corporation, reported as it happens.
  const custodyRoutes: Array<{ url: string; operationId: string; event: CustodyEvent['event']; scope: 'submit' | 'decide'; summary: string; refused: string }> = [
    {
      url: '/applications/:id/result-issue',
      operationId: 'issueResult',
      event: 'issued',
      scope: 'submit',
      summary: 'The State Corporation issues the result to the applicant, or to a representative on a notarised power of attorney; at home for a home visit (R5, R11)',
      refused: 'the result is not waiting at the State Corporation (not decided yet, returned to the provider, issued already, or not a State Corporation case)',
    },
    {
      url: '/applications/:id/result-request',
      operationId: 'requestResultAgain',
      event: 'requested',
      scope: 'submit',
      summary: 'The applicant came after the result went back to the provider: the State Corporation asks for it; the provider has one working day (R14)',
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
  for (const r of custodyRoutes) {
    route(
      {
        method: 'POST',
        url: r.url,
        operationId: r.operationId,
        summary: r.summary,
        tag: 'state-corporation',
        scope: r.scope,
        params: { id: 'the application id' },
        body: CUSTODY_BODIES[r.event],
        responses: { 200: 'the case after the step', ...ERRORS, 409: r.refused },
      },
      async (request, reply) => {
        const parsed = parseInput(CUSTODY_BODIES[r.event] as z.ZodType<object>, request.body ?? {});
        if (!parsed.ok) return refuse(reply, parsed.error.rule ? 422 : 400, parsed.error);
        const event = { event: r.event, ...parsed.value } as CustodyEvent;
        return updateApplication(
          request.params.id,
          reply,
          (workflowId) => client.workflow.getHandle(workflowId).executeUpdate(resultCustodyUpdate, { args: [event] }),
          { code: 'custody-step-not-allowed', field: 'id', rule: 'R14' },
        );
      },
    );
  }

  // R13: a complaint against the application's result, registered by the same working-time rule (R7).
  route(
    {
      method: 'POST',
      url: '/applications/:id/complaints',
      operationId: 'fileComplaint',
      summary: 'A complaint against the result, to the provider (5 working days) or the quality-control authority (15) (R13)',
      tag: 'complaints',
      scope: 'submit',
      params: { id: 'the application id' },
      body: ComplaintSchema,
      idempotent: true,
      responses: {
        202: 'registered: { complaintId, workflowId, addressee, registeredAt, dueAt }',
        ...ERRORS,
        409: 'no complaint now: the result is not delivered yet, a complaint to that body is under review, or the administrative stage is over',
        422: 'an Idempotency-Key reused for another request',
      },
    },
    async (request, reply) => {
      const parsed = parseInput(ComplaintSchema, request.body);
      if (!parsed.ok) return refuse(reply, 400, parsed.error);
      const filing = { ...parsed.value, submittedAt: parsed.value.submittedAt ?? now().toISOString() };
      return updateApplication(
        request.params.id,
        reply,
        (workflowId) => client.workflow.getHandle(workflowId).executeUpdate(fileComplaintUpdate, { args: [filing] }),
        { code: 'complaint-not-allowed', field: 'id', rule: 'R13' },
        (state) =>
          state === 'withdrawn'
            ? 'the application was withdrawn; there is no result to contest'
            : 'the administrative stage of this case is over; the result may now be contested in court (Administrative Procedural Code art. 91)',
        202,
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
      responses: { 200: 'the complaint', ...ERRORS },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!UUID.test(id)) return refuseBadId(reply, 'id', 'a complaint id');
      const status = await queryIfRunning(request, complaintWorkflowIdFor(id), complaintStatusQuery);
      const row = await store.complaint.findUnique({ where: { id }, include: { notices: { orderBy: { language: 'asc' } } } });
      if (!status && !row) return refuse(reply, 404, { code: 'not-found', field: 'id', rule: null, message: `no complaint ${id}` });
      return { ...(row && complaintFromRow(row)), ...status, documents: (row?.notices ?? []).map(noticeView) };
    },
  );

  route(
    {
      method: 'POST',
      url: '/complaints/:id/decision',
      operationId: 'decideComplaint',
      summary: "The reviewing body's motivated decision on a complaint: upheld, partly-upheld or rejected (R13)",
      tag: 'complaints',
      scope: 'decide',
      params: { id: 'the complaint id' },
      body: ComplaintDecisionSchema,
      responses: { 200: 'the complaint after the decision', ...ERRORS, 409: 'not under review (not registered yet, or decided)' },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!UUID.test(id)) return refuseBadId(reply, 'id', 'a complaint id');
      const parsed = parseInput(ComplaintDecisionSchema, request.body);
      if (!parsed.ok) return refuse(reply, 400, parsed.error);
      const closed = async () => {
        const row = await store.complaint.findUnique({ where: { id }, select: { outcome: true } });
        return `the complaint has been decided (${row?.outcome ?? 'finished'}); its decision is in the personal cabinet`;
      };
      return sendUpdate(
        reply,
        { workflowId: complaintWorkflowIdFor(id), what: 'complaint', id, closed },
        (workflowId) => client.workflow.getHandle(workflowId).executeUpdate(decideComplaintUpdate, { args: [parsed.value] }),
        { code: 'complaint-decision-not-allowed', field: 'outcome', rule: 'R13' },
      );
    },
  );

  route(
    {
      method: 'GET',
      url: '/healthz',
      operationId: 'health',
      summary: 'Whether the database, Temporal and a worker answer',
      tag: 'service',
      scope: null,
      responses: { 200: 'all answer', 503: 'one does not: checks says which' },
    },
    async (request, reply) => {
      const checks: Record<string, string> = {};
      await Promise.all([
        store.$queryRawUnsafe('SELECT 1').then(
          () => (checks.database = 'ok'),
          (e: Error) => (checks.database = `unreachable: ${e.message}`),
        ),
        client.workflowService
          .describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 })
          .then(
            (r) => {
              checks.temporal = 'ok';
              checks.worker = (r.pollers?.length ?? 0) > 0 ? 'ok' : `no worker polls ${taskQueue}`;
            },
            (e: Error) => {
              checks.temporal = `unreachable: ${e.message}`;
              checks.worker = 'unknown';
            },
          ),
      ]);
      const healthy = Object.values(checks).every((v) => v === 'ok');
      return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unavailable', checks });
    },
  );

  if (codec) registerCodecServer({ app, route, codec, sessions, corsOrigins: codecCorsOrigins });

  route(
    {
      method: 'GET',
      url: '/support/stuck',
      operationId: 'stuckCases',
      summary: 'Cases that need a person: overdue decisions and reviews, activities retrying, failing or failed workflows, state mismatches',
      tag: 'support',
      scope: 'read',
      query: {
        retryingLongerThanSeconds: 'report an activity retrying for longer than this (default 300)',
        closedWithinDays: 'report failed or timed-out runs closed within this many days (default 30)',
      },
      responses: { 200: '{ checkedAt, cases: [{ reason, applicationId, complaintId, workflowId, detail, nextStep, since, lastError }] }', 400: 'a bad query parameter', 401: ERRORS[401], 403: ERRORS[403] },
    },
    async (request, reply) => {
        const query = request.query as Record<string, string | undefined>;
        const numbers: Record<string, number | undefined> = {};
        for (const name of ['retryingLongerThanSeconds', 'closedWithinDays']) {
          const raw = query[name];
          if (raw === undefined) continue;
          if (!/^\d+$/.test(raw)) return refuse(reply, 400, { code: 'invalid-field', field: name, rule: null, message: `${name}: must be a whole number` });
          numbers[name] = Number(raw);
        }
        const checkedAt = now();
        const cases = await findStuckCases(client, store, {
          now: () => checkedAt,
          ...(numbers.retryingLongerThanSeconds !== undefined && { activityRetryThresholdMs: numbers.retryingLongerThanSeconds * 1000 }),
          ...(numbers.closedWithinDays !== undefined && { closedWithinMs: numbers.closedWithinDays * 86_400_000 }),
        });
        return { checkedAt: checkedAt.toISOString(), cases };
      },
    );

    route(
      {
        method: 'GET',
        url: '/support/cases/:id',
        operationId: 'caseStory',
        summary: "One case's whole story: state, deadlines, stages with times, pending activities, documents, complaints, outbox",
        tag: 'support',
        scope: 'read',
        params: { id: 'an application id, or a complaint id (its application is shown)' },
        responses: { 200: 'the story', ...ERRORS },
      },
      async (request, reply) => {
        const { id } = request.params;
        if (!UUID.test(id)) return refuseBadId(reply, 'id', 'an application or complaint id');
        const story = await caseStory(client, store, id);
        return story ?? refuse(reply, 404, { code: 'not-found', field: 'id', rule: null, message: `no application or complaint ${id}` });
      },
    );

    route(
      {
        method: 'GET',
        url: '/openapi.json',
        operationId: 'openApi',
        summary: 'This API, as an OpenAPI 3.1 document',
        tag: 'service',
        scope: null,
        responses: { 200: 'the document' },
      },
      async () =>
        openApiDocument(routes, {
          title: "Teachers' attestation: acceptance of documents",
          version: '1',
          description: 'The HTTP API for upstream systems (the e-government portal, the Platform) and operators. See docs/integrators.md.',
        }),
    );

    return app;
  }
