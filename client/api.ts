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
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { DecisionSchema, SubmissionSchema, WithdrawalSchema, parseInput, type ApplicationInput, type InputError } from '../domain/application';
import { ComplaintDecisionSchema, ComplaintSchema } from '../domain/complaint';
import { formatInstant } from '../domain/calendar';
import { campaignWindow, withinWindow, type CampaignWindow } from '../domain/campaign';
import { CategoryKey, ChannelKey, ProviderUnitKey, ApplicationStateKey } from '../domain/search-attributes';
import type { Store } from '../activities/store';
import {
  complaintStatusQuery,
  decideComplaintUpdate,
  decideUpdate,
  fileComplaintUpdate,
  statusQuery,
  withdrawUpdate,
  type ApplicationStatus,
  type ComplaintStatus,
} from '../workflows/messages';
import { applicationIdFor, cabinetIdFor, complaintWorkflowIdFor, workflowIdFor } from './identity';

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
  /** pino options for one JSON line per request (no personal data: ids only, never bodies); off by default */
  logger?: boolean | { level: string };
}

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
  certificatePem,
  logger = false,
}: ApiDeps): FastifyInstance {
  const app = Fastify({ logger, bodyLimit: 1_048_576 });

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

  app.post('/applications', async (request, reply) => {
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
    const applicationId = applicationIdFor(submission.iin, submission.academicYear, identitySecret);
    const workflowId = workflowIdFor(applicationId);
    const input: ApplicationInput = {
      ...submission,
      applicationId,
      submittedAt: submission.submittedAt ?? submittedAt.toISOString(),
      cabinetId: cabinetIdFor(submission.iin, identitySecret),
      campaignWindow: window,
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
        ],
        staticSummary: `Attestation application: ${submission.category} via ${submission.channel}, ${submission.academicYear}`,
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
    return reply.code(202).send({ applicationId, workflowId, cabinetId: input.cabinetId, state: 'received' });
  });

  app.get<{ Params: { id: string } }>('/applications/:id', async (request, reply) => {
    const { id } = request.params;
    if (!UUID.test(id)) return refuseBadId(reply, 'id', 'an application id');
    let status: ApplicationStatus | null = null;
    try {
      status = await client.workflow.getHandle(workflowIdFor(id)).query(statusQuery);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) request.log.warn({ err: error }, 'status query failed; answering from the case store');
    }
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
          }
        : {
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
          }),
      complaints,
      notices: (row?.notices ?? []).map(noticeView),
    };
  });

  // R5, R11: the applicant's personal cabinet — every result document of every application, signed.
  app.get<{ Params: { cabinetId: string } }>('/cabinets/:cabinetId', async (request, reply) => {
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
  });

  app.get('/signing-certificate', async (_request, reply) => {
    if (!certificatePem) return refuse(reply, 404, { code: 'not-found', field: null, rule: null, message: 'no signing certificate is published here' });
    return reply.type('application/x-pem-file').send(certificatePem());
  });

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

  app.post<{ Params: { id: string } }>('/applications/:id/decision', async (request, reply) => {
    const parsed = parseInput(DecisionSchema, request.body);
    if (!parsed.ok) return refuse(reply, 400, parsed.error);
    return updateApplication(
      request.params.id,
      reply,
      (workflowId) => client.workflow.getHandle(workflowId).executeUpdate(decideUpdate, { args: [parsed.value] }),
      { code: 'decision-not-allowed', field: 'decision', rule: 'R3' },
    );
  });

  app.post<{ Params: { id: string } }>('/applications/:id/withdrawal', async (request, reply) => {
    const parsed = parseInput(WithdrawalSchema, request.body ?? {});
    if (!parsed.ok) return refuse(reply, 400, parsed.error);
    return updateApplication(
      request.params.id,
      reply,
      (workflowId) => client.workflow.getHandle(workflowId).executeUpdate(withdrawUpdate, { args: [parsed.value] }),
      { code: 'withdrawal-not-allowed', field: 'id', rule: null },
    );
  });

  // R13: a complaint against the application's result, registered by the same working-time rule (R7).
  app.post<{ Params: { id: string } }>('/applications/:id/complaints', async (request, reply) => {
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
  });

  app.get<{ Params: { id: string } }>('/complaints/:id', async (request, reply) => {
    const { id } = request.params;
    if (!UUID.test(id)) return refuseBadId(reply, 'id', 'a complaint id');
    let status: ComplaintStatus | null = null;
    try {
      status = await client.workflow.getHandle(complaintWorkflowIdFor(id)).query(complaintStatusQuery);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) request.log.warn({ err: error }, 'complaint query failed; answering from the case store');
    }
    const row = await store.complaint.findUnique({ where: { id }, include: { notices: { orderBy: { language: 'asc' } } } });
    if (!status && !row) return refuse(reply, 404, { code: 'not-found', field: 'id', rule: null, message: `no complaint ${id}` });
    return { ...(row && complaintFromRow(row)), ...status, documents: (row?.notices ?? []).map(noticeView) };
  });

  app.post<{ Params: { id: string } }>('/complaints/:id/decision', async (request, reply) => {
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
  });

  app.get('/healthz', async (_request, reply) => {
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
  });

  return app;
}
