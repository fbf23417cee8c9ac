/**
 * The stuck-case listing for support staff (issue 6): which cases need a person now, why, and what to do. It
 * reads what Temporal already reports — visibility queries on our search attributes, the server's
 * `TemporalReportedProblems` for failing workflow tasks, pending-activity attempts and last failures from
 * describe, the close event of failed runs — and compares the workflows' states with the case store.
 */
import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { formatInstant } from '../../domain/calendar';
import { FINAL_STATES } from '../../domain/lifecycle';
import { caseOf, complaintWorkflowIdFor, workflowIdFor } from '../../domain/case-ids';
import { ApplicationStateKey, DecisionDueAtKey } from '../../domain/search-attributes';
import { openCases, openCasesAmong, recordedStates } from '../../infra/case-store';
import { PERMANENT_FAILURE_TYPE } from '../../infra/failures';
import { publicationRecords } from '../../infra/schedule-publication';
import type { Store } from '../../infra/store';
import { ACTIVITY_PART_PREFIX, WORKFLOW_TASK_PART } from '../../infra/workflow-trouble';
import { eachLimited } from '../each-limited';
import { failureText } from './failure-text';
import { ts } from './proto-time';

export type StuckReason =
  | 'decision-overdue'
  | 'complaint-review-overdue'
  | 'result-resend-overdue'
  | 'activity-retrying'
  | 'workflow-task-failing'
  | 'state-mismatch'
  | 'workflow-failed'
  | 'workflow-timed-out'
  | 'message-undelivered'
  | 'publication-overdue';

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
  /** which page of the listing, from 1 (default 1) */
  page?: number;
  /** cases on a page (default 50, at most MAX_PAGE_SIZE) */
  pageSize?: number;
  /** also compare every running workflow's state with the case store (reads every open case: off by default) */
  auditStates?: boolean;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** The most rows read from any one source (a visibility query, a table): the listing's cost is bounded. */
export const SOURCE_BOUND = 20_000;

export interface StuckListing {
  /** cases found before the page was looked at closely; a few on a page may turn out resolved and be left out */
  total: number;
  page: number;
  pageSize: number;
  /** a source held more than SOURCE_BOUND rows: there are more stuck cases than counted */
  truncated: boolean;
  cases: StuckCase[];
}

/** A case the cheap sources found; `settle` looks closer (a describe, a history event) only for the page shown. */
interface Candidate {
  reason: StuckReason;
  workflowId: string;
  since: string | null;
  settle: () => Promise<StuckCase | null>;
}

const WORKFLOW_TASK_FIX =
  'read the workflow task failure in the Temporal UI, fix the workflow code (replay test/histories first), deploy the worker; the case resumes by itself';

/** Rule-based refusals at the workflow boundary end a run as designed: not a stuck case. */
const REFUSALS = new Set(['DuplicateApplication']);
/** How long the case store and the workflow may disagree while a write is on its way. */
const SETTLING_MS = 60_000;

const REASON_ORDER: StuckReason[] = [
  'workflow-task-failing',
  'workflow-failed',
  'workflow-timed-out',
  'message-undelivered',
  'publication-overdue',
  'state-mismatch',
  'activity-retrying',
  'decision-overdue',
  'result-resend-overdue',
  'complaint-review-overdue',
];

/** A visibility query's executions, at most SOURCE_BOUND (the second value says whether there were more). */
async function listBounded(client: Client, query: string): Promise<[WorkflowExecutionInfo[], boolean]> {
  const found: WorkflowExecutionInfo[] = [];
  for await (const execution of client.workflow.list({ query, pageSize: 1000 })) {
    if (found.length === SOURCE_BOUND) return [found, true];
    found.push(execution);
  }
  return [found, false];
}

const found = (stuck: StuckCase): Candidate => ({
  reason: stuck.reason,
  workflowId: stuck.workflowId,
  since: stuck.since,
  settle: async () => stuck,
});

/**
 * The cases that need a person, a page at a time (issue 17). Every source is a visibility query on the search
 * attributes or an indexed table, each read at most SOURCE_BOUND rows: overdue terms (R3, R13, R14), failed and
 * timed-out runs, the troubles the worker recorded (worker/trouble.ts: activities retrying, workflow tasks failing),
 * the case store against the workflows' ApplicationState, and the outbox's dead letters. Only the page shown is
 * described or has its history read, so a listing over 100 000 open cases costs its page, not the whole.
 */
export async function findStuckCases(client: Client, store: Store, options: InspectOptions = {}): Promise<StuckListing> {
  const now = (options.now ?? (() => new Date()))();
  const threshold = options.activityRetryThresholdMs ?? 5 * 60_000;
  const closedSince = new Date(now.getTime() - (options.closedWithinMs ?? 30 * 86_400_000));
  const pageSize = Math.min(Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const page = Math.max(1, options.page ?? 1);
  const namespace = client.options.namespace;
  const candidates: Candidate[] = [];
  let truncated = false;
  const bounded = async (query: string) => {
    const [rows, more] = await listBounded(client, query);
    truncated ||= more;
    return rows;
  };

  // 1. Decisions, complaint reviews and results asked for again past their term and still owed (R3, R13, R14).
  const overdueQuery =
    "ExecutionStatus = 'Running' AND Overdue = true AND (ApplicationState IN ('under-review', 'requested-again') OR ComplaintState = 'under-review')";
  for (const w of await bounded(overdueQuery)) candidates.push(found(overdueCase(w)));

  // 2. Workflow tasks that keep failing: servers from 1.30 mark them themselves; the worker records the rest.
  const failingTasks = new Set<string>();
  try {
    for (const w of await bounded("ExecutionStatus = 'Running' AND TemporalReportedProblems IS NOT NULL")) {
      const problems = (w.searchAttributes as Record<string, unknown>).TemporalReportedProblems;
      failingTasks.add(w.workflowId);
      candidates.push(
        found({
          reason: 'workflow-task-failing',
          ...caseOf(w.workflowId),
          workflowId: w.workflowId,
          detail: `the workflow's own code keeps failing (${JSON.stringify(problems)}); the case cannot move`,
          nextStep: WORKFLOW_TASK_FIX,
          since: null,
          lastError: JSON.stringify(problems),
        }),
      );
    }
  } catch {
    // A server without the attribute simply has nothing to say here.
  }

  // 3. What the worker saw in trouble: activities retrying for longer than the threshold, workflow tasks failing.
  const troubles = await store.workflowTrouble.findMany({
    where: {
      OR: [{ part: WORKFLOW_TASK_PART }, { part: { startsWith: ACTIVITY_PART_PREFIX }, since: { lt: new Date(now.getTime() - threshold) } }],
    },
    orderBy: { since: 'asc' },
    take: SOURCE_BOUND + 1,
  });
  truncated ||= troubles.length > SOURCE_BOUND;
  const troubled = new Set<string>();
  for (const trouble of troubles.slice(0, SOURCE_BOUND)) {
    troubled.add(trouble.workflowId);
    if (trouble.part === WORKFLOW_TASK_PART) {
      if (failingTasks.has(trouble.workflowId)) continue;
      failingTasks.add(trouble.workflowId);
      candidates.push({
        reason: 'workflow-task-failing',
        workflowId: trouble.workflowId,
        since: trouble.since.toISOString(),
        settle: () => settleFailingTask(client, store, trouble),
      });
    } else {
      candidates.push({
        reason: 'activity-retrying',
        workflowId: trouble.workflowId,
        since: trouble.since.toISOString(),
        settle: () => settleRetryingActivity(client, store, trouble, now),
      });
    }
  }

  // 4. Cases the store still holds open whose workflow has ended (terminated, cancelled, or completed unrecorded):
  // from the runs closed within the window, not from every open row. A case started again under the same id is
  // told apart on the page (settleOrphan finds its run running).
  const settled = new Date(now.getTime() - SETTLING_MS);
  const ended = await bounded(`ExecutionStatus != 'Running' AND WorkflowType = 'applicationWorkflow' AND CloseTime > '${closedSince.toISOString()}'`);
  const endedIds = [...new Set(ended.map((w) => w.workflowId))];
  for (let i = 0; i < endedIds.length; i += 5000) {
    const rows = await openCasesAmong(store, endedIds.slice(i, i + 5000), FINAL_STATES, settled);
    for (const row of rows) {
      candidates.push({
        reason: 'state-mismatch',
        workflowId: row.workflowId,
        since: row.updatedAt.toISOString(),
        settle: () => settleOrphan(client, row),
      });
    }
  }

  // 4a. The audit (asked for): every running workflow's state against the case store. It reads every open case
  // (not their histories), so it is not part of the listing support staff page through.
  if (options.auditStates) {
    const running = await bounded("ExecutionStatus = 'Running' AND WorkflowType = 'applicationWorkflow'");
    const storedStates = new Map<string, { state: string; updatedAt: Date }>();
    for (let i = 0; i < running.length; i += 5000) {
      const rows = await recordedStates(
        store,
        running.slice(i, i + 5000).map((w) => w.workflowId),
      );
      for (const row of rows) storedStates.set(row.workflowId, row);
    }
    // Open in the store with no run going at all: Temporal lost it (restored from a backup older than the store's,
    // issue 36) or it ended long ago; the runs closed within the window are found in 4 already.
    const runningIds = new Set(running.map((w) => w.workflowId));
    const endedSeen = new Set(endedIds);
    for (const row of await openCases(store, FINAL_STATES, settled, SOURCE_BOUND)) {
      if (runningIds.has(row.workflowId) || endedSeen.has(row.workflowId)) continue;
      candidates.push({
        reason: 'state-mismatch',
        workflowId: row.workflowId,
        since: row.updatedAt.toISOString(),
        settle: () => settleOrphan(client, row),
      });
    }
    for (const w of running) {
      const state = w.typedSearchAttributes.get(ApplicationStateKey);
      const row = storedStates.get(w.workflowId);
      if (row?.state === state || failingTasks.has(w.workflowId) || troubled.has(w.workflowId)) continue;
      // A write on its way: the store is written after the workflow moves, by an activity of its own.
      if ((row?.updatedAt ?? w.startTime) > settled) continue;
      candidates.push({
        reason: 'state-mismatch',
        workflowId: w.workflowId,
        since: row?.updatedAt.toISOString() ?? null,
        settle: () => settleMismatch(client, w, state, row?.state),
      });
    }
  }

  // 5. Runs that failed or timed out, other than refusals by rule at the boundary.
  const closedQuery = `(ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut') AND CloseTime > '${closedSince.toISOString()}'`;
  for (const w of await bounded(closedQuery)) {
    candidates.push({
      reason: w.status.name === 'TIMED_OUT' ? 'workflow-timed-out' : 'workflow-failed',
      workflowId: w.workflowId,
      since: w.closeTime?.toISOString() ?? null,
      settle: () => settleClosedRun(client, namespace, w),
    });
  }

  // 6. Notices and stage reports the outbox relay gave up on (dead letters): the applicant or monitoring never heard.
  const dead = await store.outboxMessage.findMany({
    where: { status: 'dead' },
    orderBy: { createdAt: 'asc' },
    take: SOURCE_BOUND + 1,
    select: { key: true, channel: true, payload: true, attempts: true, lastError: true, claimedAt: true },
  });
  truncated ||= dead.length > SOURCE_BOUND;
  for (const m of dead.slice(0, SOURCE_BOUND)) candidates.push(found(deadLetterCase(m)));

  // 7. Changes of the standard the contact centre has not had within their three working days (R12).
  for (const stuck of await publicationsOverdue(store, now)) candidates.push(found(stuck));

  candidates.sort((a, b) => REASON_ORDER.indexOf(a.reason) - REASON_ORDER.indexOf(b.reason) || (a.since ?? '').localeCompare(b.since ?? ''));
  const shown = candidates.slice((page - 1) * pageSize, page * pageSize);
  const settledCases = new Array<StuckCase | null>(shown.length);
  await eachLimited(
    shown.map((c, i) => [c, i] as const),
    8,
    async ([c, i]) => {
      settledCases[i] = await c.settle();
    },
  );
  return { total: candidates.length, page, pageSize, truncated, cases: settledCases.filter((c): c is StuckCase => c !== null) };
}

/** R12: each change of the standard still undelivered to the Unified Contact Centre past its three working days. */
export async function publicationsOverdue(store: Store, now: Date): Promise<StuckCase[]> {
  return (await publicationRecords(store, now))
    .filter((p) => !p.deliveredAt && p.late)
    .map((p) => ({
      reason: 'publication-overdue' as const,
      applicationId: null,
      complaintId: null,
      workflowId: '',
      detail: `the change of the standard (${p.standard} from ${formatInstant(new Date(p.from))}; ${p.basis}) was due at the Unified Contact Centre by ${formatInstant(new Date(p.dueAt))} and has not reached it (R12)`,
      nextStep:
        p.status === 'dead'
          ? `fix what the last error names (the notifier, its address, its shared secret), then cli outbox requeue ${p.key}`
          : 'the notifier has not taken it: fix what the last error names; the relay keeps trying. cli publications shows every change and when it reached the contact centre',
      since: p.dueAt,
      lastError: p.lastError,
    }));
}

function overdueCase(w: WorkflowExecutionInfo): StuckCase {
  const due = w.typedSearchAttributes.get(DecisionDueAtKey);
  const ids = caseOf(w.workflowId);
  const dueText = due ? formatInstant(due) : 'its term';
  if (w.typedSearchAttributes.get(ApplicationStateKey) === 'requested-again') {
    return {
      reason: 'result-resend-overdue',
      ...ids,
      workflowId: w.workflowId,
      detail:
        'the State Corporation asked for the result again and the provider has not sent it within one working day (R14); the supervising unit has been told',
      nextStep: `the provider sends it: POST /applications/${ids.applicationId}/result-dispatch (cli dispatch-result ${ids.applicationId} --official …)`,
      since: null,
      lastError: null,
    };
  }
  return ids.complaintId
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
      };
}

type TroubleRow = { workflowId: string; part: string; attempt: number; since: Date; lastError: string | null };

/**
 * The workflow's running description; null when it has no run (or none running); UNKNOWN when Temporal could not
 * say (issue 29: a describe error is "unknown now", never "resolved").
 */
const UNKNOWN = 'unknown' as const;
async function describeRunning(client: Client, workflowId: string) {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    return description.status.name === 'RUNNING' ? description : null;
  } catch (error) {
    return error instanceof WorkflowNotFoundError ? null : UNKNOWN;
  }
}

/** A row the worker left that no longer holds (the task succeeded, the run ended) is removed here. */
async function resolved(store: Store, trouble: TroubleRow): Promise<null> {
  await store.workflowTrouble.deleteMany({ where: { workflowId: trouble.workflowId, part: trouble.part } });
  return null;
}

/** What the worker last recorded, kept and shown as it is while Temporal cannot be asked. */
const UNCONFIRMED = '; Temporal did not answer just now, so this is as the worker last recorded it';

async function settleFailingTask(client: Client, store: Store, trouble: TroubleRow): Promise<StuckCase | null> {
  const description = await describeRunning(client, trouble.workflowId);
  const unknown = description === UNKNOWN;
  const task = unknown ? null : description?.raw.pendingWorkflowTask;
  if (!unknown && (task?.attempt ?? 0) < 2) return resolved(store, trouble);
  return {
    reason: 'workflow-task-failing',
    ...caseOf(trouble.workflowId),
    workflowId: trouble.workflowId,
    detail: unknown
      ? `the workflow's own code was failing running its next step${UNCONFIRMED}`
      : `the workflow's own code has failed ${task!.attempt! - 1} time(s) running its next step; the case cannot move`,
    nextStep: WORKFLOW_TASK_FIX,
    since: trouble.since.toISOString(),
    lastError: trouble.lastError,
  };
}

async function settleRetryingActivity(client: Client, store: Store, trouble: TroubleRow, now: Date): Promise<StuckCase | null> {
  const description = await describeRunning(client, trouble.workflowId);
  const activityId = trouble.part.slice(ACTIVITY_PART_PREFIX.length);
  if (description === UNKNOWN) {
    return {
      reason: 'activity-retrying',
      ...caseOf(trouble.workflowId),
      workflowId: trouble.workflowId,
      detail: `an activity (${activityId}) was failing and retrying${UNCONFIRMED}`,
      nextStep: 'look again shortly; while Temporal does not answer, the operators check its frontend (docs/operators.md)',
      since: trouble.since.toISOString(),
      lastError: trouble.lastError,
    };
  }
  const activity = description?.raw.pendingActivities?.find((a) => a.activityId === activityId);
  if (!activity || (activity.attempt ?? 1) < 2) return resolved(store, trouble);
  const type = activity.activityType?.name ?? 'an activity';
  const next = ts(activity.nextAttemptScheduleTime);
  const retryingFor = Math.round((now.getTime() - trouble.since.getTime()) / 1000);
  return {
    reason: 'activity-retrying',
    ...caseOf(trouble.workflowId),
    workflowId: trouble.workflowId,
    detail: `${type} has failed ${activity.attempt! - 1} time(s) over ${retryingFor} s and is retrying${next ? `; next attempt ${formatInstant(next)}` : ''}`,
    nextStep: nextStepForActivity(type),
    since: trouble.since.toISOString(),
    lastError: (await failureText(client, activity.lastFailure)) ?? trouble.lastError,
  };
}

async function settleMismatch(
  client: Client,
  w: WorkflowExecutionInfo,
  state: string | undefined,
  row: string | undefined,
): Promise<StuckCase | null> {
  const description = await describeRunning(client, w.workflowId);
  // Something on its way (an activity, a task) may still correct it: only a quiet workflow is stuck.
  if (
    !description ||
    description === UNKNOWN ||
    (description.raw.pendingActivities ?? []).length > 0 ||
    (description.raw.pendingWorkflowTask?.attempt ?? 0) >= 2
  )
    return null;
  return {
    reason: 'state-mismatch',
    ...caseOf(w.workflowId),
    workflowId: w.workflowId,
    detail:
      row === undefined
        ? `the workflow is ${state} but the case store has no row for it`
        : `the workflow is ${state} but the case store says ${row}, and nothing is on its way to correct it`,
    nextStep:
      'compare the stage history (cli case <id>) with the workflow in the Temporal UI. After a restore (docs/operators.md#backup-and-restore) the case store may be ahead of the workflow: take again the step its stage history shows (the same decision), which issues no document or notice twice. Otherwise the workflow is the truth for the legal clock — correct the row, and report it as a defect',
    since: null,
    lastError: null,
  };
}

async function settleOrphan(client: Client, row: { id: string; workflowId: string; state: string; updatedAt: Date }): Promise<StuckCase | null> {
  let status = 'not found';
  try {
    status = (await client.workflow.getHandle(row.workflowId).describe()).status.name;
  } catch {
    // no run at all
  }
  if (status === 'RUNNING') return null; // started after the listing was read
  const missing = status === 'not found';
  return {
    reason: 'state-mismatch',
    applicationId: row.id,
    complaintId: null,
    workflowId: row.workflowId,
    detail: missing
      ? `the case store says ${row.state}, but Temporal has no run of it (restored from a backup older than the case store's?): nothing will move this case`
      : `the case store says ${row.state}, but its workflow is ${status.toLowerCase()}: nothing will move this case`,
    nextStep: missing
      ? `start it again from its stored application (POST /support/cases/${row.id}/restart): it is registered and reviewed again under its first submission's terms; a decision the store shows for it is taken again`
      : 'find in the Temporal UI who ended the workflow and why; a case ended by mistake is restarted from its stored application (a person decides, never silently)',
    since: row.updatedAt.toISOString(),
    lastError: null,
  };
}

async function settleClosedRun(client: Client, namespace: string, w: WorkflowExecutionInfo): Promise<StuckCase | null> {
  const last = await client.workflowService.getWorkflowExecutionHistoryReverse({
    namespace,
    execution: { workflowId: w.workflowId, runId: w.runId },
    maximumPageSize: 1,
  });
  const event = last.history?.events?.[0];
  const failure = event?.workflowExecutionFailedEventAttributes?.failure;
  if (failure?.applicationFailureInfo?.type && REFUSALS.has(failure.applicationFailureInfo.type)) return null;
  const timedOut = w.status.name === 'TIMED_OUT';
  // An activity that met data no retry can store (infra/failures.ts) ended the case: the data must change.
  let permanent = failure?.cause;
  while (permanent && permanent.applicationFailureInfo?.type !== PERMANENT_FAILURE_TYPE) permanent = permanent.cause;
  const [permanentText, failureMessage] = [await failureText(client, permanent), await failureText(client, failure)];
  return {
    reason: timedOut ? 'workflow-timed-out' : 'workflow-failed',
    ...caseOf(w.workflowId),
    workflowId: w.workflowId,
    detail: timedOut
      ? 'the workflow ran out of its execution timeout: the case stopped'
      : permanent
        ? `an activity failed in a way no retry can cure, and the case stopped: ${permanentText}`
        : `the workflow failed: ${failureMessage ?? 'no message'}`,
    nextStep: permanent
      ? 'the data is what fails, not a dependency: correct it at its source (the submitting system), then submit the case again; each write is one transaction, so nothing is half-written'
      : 'read the failure in the Temporal UI; after the cause is fixed, start the case again from its stored application (the workflow id allows it once the run has ended)',
    since: w.closeTime?.toISOString() ?? null,
    lastError: permanentText ?? failureMessage,
  };
}

function deadLetterCase(m: {
  key: string;
  channel: string;
  payload: unknown;
  attempts: number;
  lastError: string | null;
  claimedAt: Date | null;
}): StuckCase {
  const { applicationId, complaintId } = (m.payload ?? {}) as { applicationId?: string; complaintId?: string };
  return {
    reason: 'message-undelivered',
    applicationId: applicationId ?? null,
    complaintId: complaintId ?? null,
    workflowId: complaintId ? complaintWorkflowIdFor(complaintId) : applicationId ? workflowIdFor(applicationId) : '',
    detail: `the ${m.channel === 'notifier' ? 'notice' : 'stage report'} ${m.key} was refused or unanswered ${m.attempts} times; the relay stopped trying (a dead letter)`,
    nextStep: `fix what the last error names (the receiver's address, its shared secret, the receiver itself), then cli outbox requeue ${m.key}`,
    since: m.claimedAt?.toISOString() ?? null,
    lastError: m.lastError,
  };
}

function nextStepForActivity(type: string): string {
  switch (type) {
    case 'lookUpStateRecords':
      return "the e-government gateway does not answer, or answers a fault (the last error names its code and message id; cli case shows the case's exchanges): check SMARTBRIDGE_FILE (endpoint, sender, the service's certificate) and the gateway's status with its operator; the look-up retries by itself once it answers";
    case 'issueNotice':
    case 'issueResult':
      return 'the notice could not be signed or stored: check the signing keys (SIGNERS_FILE: each certificate current, its key readable) and the database; it retries by itself, never twice';
    default:
      return 'read the last error; fix the dependency it names (database, gateway, signer); the activity retries by itself and its writes are idempotent';
  }
}
