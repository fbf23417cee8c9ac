/**
 * The stuck-case inspector for support staff (issue 6): which cases need a person now, why, and what to do.
 * It reads what Temporal already reports — visibility queries on our search attributes, the server's
 * `TemporalReportedProblems` for failing workflow tasks, pending-activity attempts and last failures from
 * describe, the close event of failed runs — and compares the workflows' states with the case store.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { PERMANENT_FAILURE_TYPE } from '../infra/failures';
import type { Store } from '../infra/store';
import { formatInstant } from '../domain/calendar';
import { ApplicationStateKey, DecisionDueAtKey } from '../domain/search-attributes';
import { caseOf, complaintWorkflowIdFor, workflowIdFor } from '../domain/case-ids';
import { eachLimited } from './each-limited';

export type StuckReason =
  | 'decision-overdue'
  | 'complaint-review-overdue'
  | 'result-resend-overdue'
  | 'activity-retrying'
  | 'workflow-task-failing'
  | 'state-mismatch'
  | 'workflow-failed'
  | 'workflow-timed-out'
  | 'message-undelivered';

export interface StuckCase {
  reason: StuckReason;
  /** the application id (a complaint's application for complaint reasons) */
  applicationId: string | null;
  complaintId: string | null;
  workflowId: string;
  /** what is wrong, in words */
  detail: string;
  /** what a person does about it */
  nextStep: string;
  since: string | null;
  lastError: string | null;
}

export interface InspectOptions {
  /** an activity retrying for longer than this is reported (default 5 minutes) */
  activityRetryThresholdMs?: number;
  /** failed or timed-out runs closed within this window are reported (default 30 days) */
  closedWithinMs?: number;
  now?: () => Date;
}

const WORKFLOW_TASK_FIX =
  'read the workflow task failure in the Temporal UI, fix the workflow code (replay test/histories first), deploy the worker; the case resumes by itself';

/** Rule-based refusals at the workflow boundary end a run as designed: not a stuck case. */
const REFUSALS = new Set(['InvalidApplication', 'DuplicateApplication']);
/** States in which the database may say otherwise only while an activity is on its way to write. */
const FINAL_STATES = new Set(['closed', 'withdrawn']);

async function listAll(client: Client, query: string): Promise<WorkflowExecutionInfo[]> {
  const found: WorkflowExecutionInfo[] = [];
  for await (const execution of client.workflow.list({ query })) found.push(execution);
  return found;
}

const ts = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): Date | null =>
  t?.seconds == null ? null : new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6));

export async function findStuckCases(client: Client, store: Store, options: InspectOptions = {}): Promise<StuckCase[]> {
  const now = (options.now ?? (() => new Date()))();
  const threshold = options.activityRetryThresholdMs ?? 5 * 60_000;
  const closedSince = new Date(now.getTime() - (options.closedWithinMs ?? 30 * 86_400_000));
  const namespace = client.options.namespace;
  const stuck: StuckCase[] = [];

  // 1. Decisions, complaint reviews and results asked for again past their term and still owed (R3, R13, R14).
  const overdueQuery =
    "ExecutionStatus = 'Running' AND Overdue = true AND (ApplicationState IN ('under-review', 'requested-again') OR ComplaintState = 'under-review')";
  for (const w of await listAll(client, overdueQuery)) {
    const due = w.typedSearchAttributes.get(DecisionDueAtKey);
    const ids = caseOf(w.workflowId);
    const dueText = due ? formatInstant(due) : 'its term';
    if (w.typedSearchAttributes.get(ApplicationStateKey) === 'requested-again') {
      stuck.push({
        reason: 'result-resend-overdue',
        ...ids,
        workflowId: w.workflowId,
        detail:
          'the State Corporation asked for the result again and the provider has not sent it within one working day (R14); the supervising unit has been told',
        nextStep: `the provider sends it: POST /applications/${ids.applicationId}/result-dispatch (cli dispatch-result ${ids.applicationId} --official …)`,
        since: null,
        lastError: null,
      });
      continue;
    }
    stuck.push(
      ids.complaintId
        ? {
            reason: 'complaint-review-overdue',
            ...ids,
            workflowId: w.workflowId,
            detail: `the decision on the complaint was due by ${dueText} (R13); the superior body has been told, and the review is still owed`,
            nextStep: `the reviewing body decides: POST /complaints/${ids.complaintId}/decision (cli decide-complaint ${ids.complaintId} …)`,
            since: due?.toISOString() ?? null,
            lastError: null,
          }
        : {
            reason: 'decision-overdue',
            ...ids,
            workflowId: w.workflowId,
            detail: `the provider's decision was due by ${dueText} (R3); the supervising unit has been told, and the decision is still owed`,
            nextStep: `the provider decides: POST /applications/${ids.applicationId}/decision (cli decide ${ids.applicationId} …)`,
            since: due?.toISOString() ?? null,
            lastError: null,
          },
    );
  }

  // 2. Workflow tasks that keep failing: the server marks them itself (1.28 and later).
  const reportedByServer = new Set<string>();
  const reported = new Set<string>(); // failing workflow tasks: the state cannot be compared while they fail
  try {
    for (const w of await listAll(client, "ExecutionStatus = 'Running' AND TemporalReportedProblems IS NOT NULL")) {
      const problems = (w.searchAttributes as Record<string, unknown>).TemporalReportedProblems;
      reportedByServer.add(w.workflowId);
      stuck.push({
        reason: 'workflow-task-failing',
        ...caseOf(w.workflowId),
        workflowId: w.workflowId,
        detail: `the workflow's own code keeps failing (${JSON.stringify(problems)}); the case cannot move`,
        nextStep: WORKFLOW_TASK_FIX,
        since: null,
        lastError: JSON.stringify(problems),
      });
    }
  } catch {
    // A server without the attribute (older than 1.28) simply has nothing to say here.
  }

  // 3. Activities retrying for too long, and workflows whose state the case store does not share.
  const running = await listAll(
    client,
    "ExecutionStatus = 'Running' AND (WorkflowType = 'applicationWorkflow' OR WorkflowType = 'complaintWorkflow')",
  );
  const quiet = new Set<string>(); // running workflows with no activity under way
  await eachLimited(running, 8, async (w) => {
    const description = await client.workflow.getHandle(w.workflowId, w.runId).describe();
    const pending = description.raw.pendingActivities ?? [];
    if (pending.length === 0) quiet.add(w.workflowId);
    // A workflow task on its second attempt or later: the workflow's own code fails (servers without
    // TemporalReportedProblems still report the attempt).
    const task = description.raw.pendingWorkflowTask;
    if ((task?.attempt ?? 0) >= 2) reported.add(w.workflowId);
    if ((task?.attempt ?? 0) >= 2 && !reportedByServer.has(w.workflowId)) {
      const history = await client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
      const failed = [...(history.events ?? [])].reverse().find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes;
      stuck.push({
        reason: 'workflow-task-failing',
        ...caseOf(w.workflowId),
        workflowId: w.workflowId,
        detail: `the workflow's own code has failed ${task!.attempt! - 1} time(s) running its next step; the case cannot move`,
        nextStep: WORKFLOW_TASK_FIX,
        since: ts(task!.originalScheduledTime)?.toISOString() ?? null,
        lastError: failed?.failure?.message ?? null,
      });
    }
    for (const activity of pending) {
      if ((activity.attempt ?? 1) < 2) continue;
      const firstScheduled = await firstScheduledAt(client, w, activity.activityId ?? '');
      const retryingFor = firstScheduled ? now.getTime() - firstScheduled.getTime() : 0;
      if (retryingFor < threshold) continue;
      const type = activity.activityType?.name ?? 'an activity';
      const next = ts(activity.nextAttemptScheduleTime);
      stuck.push({
        reason: 'activity-retrying',
        ...caseOf(w.workflowId),
        workflowId: w.workflowId,
        detail: `${type} has failed ${activity.attempt! - 1} time(s) over ${Math.round(retryingFor / 1000)} s and is retrying${next ? `; next attempt ${formatInstant(next)}` : ''}`,
        nextStep: nextStepForActivity(type),
        since: firstScheduled?.toISOString() ?? null,
        lastError: activity.lastFailure?.message ?? null,
      });
    }
  });

  const applications = running.filter((w) => w.type === 'applicationWorkflow');
  const rows = await store.application.findMany({
    where: { workflowId: { in: applications.map((w) => w.workflowId) } },
    select: { workflowId: true, state: true },
  });
  const stored = new Map(rows.map((r) => [r.workflowId, r.state]));
  for (const w of applications) {
    const state = w.typedSearchAttributes.get(ApplicationStateKey);
    const row = stored.get(w.workflowId);
    if (!quiet.has(w.workflowId) || row === state || reported.has(w.workflowId)) continue;
    stuck.push({
      reason: 'state-mismatch',
      ...caseOf(w.workflowId),
      workflowId: w.workflowId,
      detail:
        row === undefined
          ? `the workflow is ${state} but the case store has no row for it`
          : `the workflow is ${state} but the case store says ${row}, and nothing is on its way to correct it`,
      nextStep:
        'compare the stage history (cli case <id>) with the workflow in the Temporal UI; the workflow is the truth for the legal clock — correct the row, and report it as a defect',
      since: null,
      lastError: null,
    });
  }
  const runningIds = new Set(running.map((w) => w.workflowId));
  const orphans = await store.application.findMany({
    where: { state: { notIn: [...FINAL_STATES] }, workflowId: { notIn: [...runningIds] }, updatedAt: { lt: new Date(now.getTime() - 60_000) } },
    select: { id: true, workflowId: true, state: true, updatedAt: true },
    take: 500,
  });
  for (const row of orphans) {
    let status = 'not found';
    try {
      status = (await client.workflow.getHandle(row.workflowId).describe()).status.name;
    } catch {
      // no run at all
    }
    stuck.push({
      reason: 'state-mismatch',
      applicationId: row.id,
      complaintId: null,
      workflowId: row.workflowId,
      detail: `the case store says ${row.state}, but its workflow is ${status.toLowerCase()}: nothing will move this case`,
      nextStep:
        'find in the Temporal UI who ended the workflow and why; a case ended by mistake is restarted from its stored application (a person decides, never silently)',
      since: row.updatedAt.toISOString(),
      lastError: null,
    });
  }

  // 4. Runs that failed or timed out, other than refusals by rule at the boundary.
  const closedQuery = `(ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut') AND CloseTime > '${closedSince.toISOString()}'`;
  for (const w of await listAll(client, closedQuery)) {
    const last = await client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace,
      execution: { workflowId: w.workflowId, runId: w.runId },
      maximumPageSize: 1,
    });
    const event = last.history?.events?.[0];
    const failure = event?.workflowExecutionFailedEventAttributes?.failure;
    if (failure?.applicationFailureInfo?.type && REFUSALS.has(failure.applicationFailureInfo.type)) continue;
    const timedOut = w.status.name === 'TIMED_OUT';
    // An activity that met data no retry can store (infra/failures.ts) ended the case: the data must change.
    let permanent = failure?.cause;
    while (permanent && permanent.applicationFailureInfo?.type !== PERMANENT_FAILURE_TYPE) permanent = permanent.cause;
    stuck.push({
      reason: timedOut ? 'workflow-timed-out' : 'workflow-failed',
      ...caseOf(w.workflowId),
      workflowId: w.workflowId,
      detail: timedOut
        ? 'the workflow ran out of its execution timeout: the case stopped'
        : permanent
          ? `an activity failed in a way no retry can cure, and the case stopped: ${permanent.message}`
          : `the workflow failed: ${failure?.message ?? 'no message'}`,
      nextStep: permanent
        ? 'the data is what fails, not a dependency: correct it at its source (the submitting system), then submit the case again; each write is one transaction, so nothing is half-written'
        : 'read the failure in the Temporal UI; after the cause is fixed, start the case again from its stored application (the workflow id allows it once the run has ended)',
      since: w.closeTime?.toISOString() ?? null,
      lastError: permanent?.message ?? failure?.message ?? null,
    });
  }

  // 5. Notices and stage reports the outbox relay gave up on (dead letters): the applicant or monitoring never heard.
  const dead = await store.outboxMessage.findMany({
    where: { status: 'dead' },
    orderBy: { createdAt: 'asc' },
    take: 500,
    select: { key: true, channel: true, payload: true, attempts: true, lastError: true, claimedAt: true },
  });
  for (const m of dead) {
    const { applicationId, complaintId } = (m.payload ?? {}) as { applicationId?: string; complaintId?: string };
    stuck.push({
      reason: 'message-undelivered',
      applicationId: applicationId ?? null,
      complaintId: complaintId ?? null,
      workflowId: complaintId ? complaintWorkflowIdFor(complaintId) : applicationId ? workflowIdFor(applicationId) : '',
      detail: `the ${m.channel === 'notifier' ? 'notice' : 'stage report'} ${m.key} was refused or unanswered ${m.attempts} times; the relay stopped trying (a dead letter)`,
      nextStep: `fix what the last error names (the receiver's address, its shared secret, the receiver itself), then cli outbox requeue ${m.key}`,
      since: m.claimedAt?.toISOString() ?? null,
      lastError: m.lastError,
    });
  }

  const order: StuckReason[] = [
    'workflow-task-failing',
    'workflow-failed',
    'workflow-timed-out',
    'message-undelivered',
    'state-mismatch',
    'activity-retrying',
    'decision-overdue',
    'result-resend-overdue',
    'complaint-review-overdue',
  ];
  return stuck.sort((a, b) => order.indexOf(a.reason) - order.indexOf(b.reason) || (a.since ?? '').localeCompare(b.since ?? ''));
}

/** When the activity was first scheduled, from its ActivityTaskScheduled event (attempts share it). */
async function firstScheduledAt(client: Client, w: WorkflowExecutionInfo, activityId: string): Promise<Date | null> {
  const history = await client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
  const event = history.events?.find((e) => e.activityTaskScheduledEventAttributes?.activityId === activityId);
  return ts(event?.eventTime);
}

function nextStepForActivity(type: string): string {
  switch (type) {
    case 'lookUpStateRecords':
      return 'the e-government gateway does not answer: check GATEWAY_URL and the gateway status; the look-up retries by itself once it answers';
    case 'issueNotice':
      return 'the notice could not be signed or stored: check the signing key (SIGNING_KEY_FILE) and the database; it retries by itself, never twice';
    default:
      return 'read the last error; fix the dependency it names (database, gateway, signer); the activity retries by itself and its writes are idempotent';
  }
}

type CustodyRow = {
  channel: string;
  homeVisit: boolean;
  resultAtStateCorporationAt: Date | null;
  storageEndsAt: Date | null;
  resultIssuedAt: Date | null;
  resultIssuedTo: string | null;
  returnedToProviderAt: Date | null;
  resultRequestedAt: Date | null;
  resendDueAt: Date | null;
};

/** A State Corporation result's way from its row, for cases whose workflow is no longer running (R14). */
export function custodyFromRow(r: CustodyRow) {
  if (r.channel !== 'state-corporation') return null;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    place: r.homeVisit ? 'home' : 'state-corporation',
    atStateCorporationAt: iso(r.resultAtStateCorporationAt),
    storageEndsAt: iso(r.storageEndsAt),
    issuedAt: iso(r.resultIssuedAt),
    issuedTo: r.resultIssuedTo,
    returnedToProviderAt: iso(r.returnedToProviderAt),
    requestedAt: iso(r.resultRequestedAt),
    resendDueAt: iso(r.resendDueAt),
  };
}

/**
 * One case's whole story for support (`cli case <id>`): where it is, its deadlines, every stage it passed with
 * the time (from the monitoring reports the case itself wrote), what it is doing now (pending activities and
 * their last errors), its documents and complaints, and whether every message left the outbox.
 */
export async function caseStory(client: Client, store: Store, id: string) {
  const complaint = await store.complaint.findUnique({ where: { id }, select: { applicationId: true } });
  const applicationId = complaint?.applicationId ?? id;
  const application = await store.application.findUnique({
    where: { id: applicationId },
    include: {
      notices: {
        orderBy: [{ createdAt: 'asc' }, { language: 'asc' }],
        select: { kind: true, language: true, round: true, complaintId: true, createdAt: true, supersededAt: true },
      },
      complaints: { orderBy: { submittedAt: 'asc' } },
    },
  });
  if (!application) return null;
  const workflows = [application.workflowId, ...application.complaints.map((c) => c.workflowId)];
  const runs = await Promise.all(
    workflows.map(async (workflowId) => {
      try {
        const d = await client.workflow.getHandle(workflowId).describe();
        return {
          workflowId,
          type: d.type,
          status: d.status.name,
          historyLength: d.historyLength,
          startTime: d.startTime.toISOString(),
          closeTime: d.closeTime?.toISOString() ?? null,
          pendingActivities: (d.raw.pendingActivities ?? []).map((a) => ({
            activity: a.activityType?.name ?? null,
            attempt: a.attempt ?? 1,
            lastError: a.lastFailure?.message ?? null,
            nextAttemptAt: ts(a.nextAttemptScheduleTime)?.toISOString() ?? null,
          })),
        };
      } catch {
        return { workflowId, type: null, status: 'NOT_FOUND', historyLength: 0, startTime: null, closeTime: null, pendingActivities: [] };
      }
    }),
  );
  const messages = await store.outboxMessage.findMany({
    where: { OR: [{ payload: { path: ['applicationId'], equals: applicationId } }] },
    orderBy: { createdAt: 'asc' },
  });
  return {
    applicationId,
    state: application.state,
    overdue: application.overdue,
    category: application.category,
    channel: application.channel,
    standard: application.standard,
    providerUnit: application.providerUnit,
    round: application.round,
    custody: custodyFromRow(application),
    deadlines: {
      submittedAt: application.submittedAt.toISOString(),
      registeredAt: application.registeredAt?.toISOString() ?? null,
      decisionDueAt: application.decisionDueAt?.toISOString() ?? null,
      complaintPeriodEndsAt: application.complaintPeriodEndsAt?.toISOString() ?? null,
      preTrialCompletedAt: application.preTrialCompletedAt?.toISOString() ?? null,
    },
    decision: application.decision && {
      decision: application.decision,
      grounds: application.refusalGrounds,
      official: application.official,
      decidedAt: application.decidedAt?.toISOString() ?? null,
    },
    stages: messages
      .filter((m) => m.channel === 'monitoring')
      .map((m) => {
        const p = m.payload as { stage?: string; at?: string; complaintId?: string };
        return {
          stage: p.stage ?? null,
          complaintId: p.complaintId ?? null,
          at: p.at ?? m.createdAt.toISOString(),
          delivered: m.status === 'delivered',
        };
      }),
    complaints: application.complaints.map((c) => ({
      complaintId: c.id,
      addressee: c.addressee,
      state: c.state,
      overdue: c.overdue,
      registeredAt: c.registeredAt.toISOString(),
      dueAt: c.dueAt.toISOString(),
      outcome: c.outcome,
      decidedAt: c.decidedAt?.toISOString() ?? null,
    })),
    documents: application.notices.map((n) => ({ ...n, createdAt: n.createdAt.toISOString(), supersededAt: n.supersededAt?.toISOString() ?? null })),
    outbox: messages.map((m) => ({ key: m.key, channel: m.channel, status: m.status, attempts: m.attempts, lastError: m.lastError })),
    workflows: runs,
  };
}
