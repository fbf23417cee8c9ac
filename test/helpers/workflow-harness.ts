/**
 * The harness of the workflow tests under time skipping: a fresh Java test server per test, activities replaced
 * by an in-memory store, a worker per test on its own task queue, and the helpers that move the clock and wait
 * for a workflow to get somewhere. Histories of finished paths are recorded with RECORD_HISTORIES=1.
 */

import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Activities } from '../../activities';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import type { QueryDefinition } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import { ordinaryFridayEveningAfter, ordinaryMondayMorningAfter } from './clock';
import { PATIENCE_MS } from './http';
import { applicationWorkflow } from '../../workflows';
import { complaintStatusQuery, forwardComplaintUpdate, statusQuery, type ApplicationStatus, type ComplaintStatus } from '../../workflows/messages';
import type { CustodyRecord, DecisionRecord, NoticeRequest, ResultRecord, StageRecord } from '../../activities';
import type { ApplicationInput } from '../../domain/application';
import type { ClosedCaseOnRecord } from '../../domain/case-status';
import { createTimeSkippingEnv } from './workflow-env';
import { workflowCode } from '../../worker/workflow-code';

let env: TestWorkflowEnvironment;
// A plain client: unlike env.client, its calls do not let the server skip time, so time moves only when a
// test says so (env.sleep), and a status query never races a timer.
let client: Client;
/** The test server's clock, for tests that reason about it. */
export const serverTime = async (): Promise<number> => env.currentTimeMs();
/** The client the tests start and signal workflows with. */
export const testClient = (): Client => client;

/**
 * A fresh server per test: each test's clock starts at the suite's "now" (the real present, or TEST_NOW:
 * test/helpers/clock.ts) and no test inherits another's timers. Call once at the top of a test file.
 */
export function freshServerPerTest(): void {
  beforeEach(() => startServer());
  afterEach(async () => {
    await env?.teardown();
  });
}

async function startServer(startAt?: Date): Promise<void> {
  env = await createTimeSkippingEnv(startAt);
  client = new Client({ connection: env.connection, namespace: env.namespace });
  await env.connection.testService!.lockTimeSkipping({});
}

/** For a test of a particular date: the test's server is replaced by one whose clock starts at `instant`. */
export async function restartServerAt(instant: Date): Promise<void> {
  await env?.teardown();
  await startServer(instant);
}

export function fakeActivities() {
  const stages: Array<Omit<StageRecord, 'view'>> = [];
  const notices: string[] = [];
  const gaps: number[][] = [];
  const decisions: DecisionRecord[] = [];
  const noticeRequests: NoticeRequest[] = [];
  const complaintStages: Array<{ complaintId: string; state: string; overdue?: boolean; forwardedBy?: string }> = [];
  const custody: Array<Omit<CustodyRecord, 'view'>> = [];
  const issued = (request: NoticeRequest) => {
    notices.push(request.kind);
    noticeRequests.push(request);
    // Stamped by the test server's clock, as the real activity's is by the one clock of a deployment: with
    // TEST_NOW the machine's clock is another day (issue 28).
    const createdAt = new Date(Context.current().info.currentAttemptScheduledTimestampMs).toISOString();
    return { noticeIds: [`n-${notices.length}`], kind: request.kind, createdAt };
  };
  const activities: Activities = {
    lookUpStateRecords: jest.fn(async () => ({ education: true, employment: true })),
    // the retention's batches (issue 36) run against a real store in test/retention.workflow.test.ts
    eraseExpiredRecords: jest.fn(async () => ({ count: 0, more: false, cutoff: '', keep: '' })),
    recordApplication: jest.fn(async () => {}),
    reclaimAcademicYear: jest.fn(async () => ({ heldBy: null as string | null })),
    // a closed case's reopening (R13): a test that files against one says what the store finds
    reopenClosedCase: jest.fn(async (): Promise<ClosedCaseOnRecord> => ({ reopens: false, why: 'not-closed' })),
    loadCalendarOverrides: jest.fn(async () => []),
    reportCalendarGap: jest.fn(async ({ years }) => void gaps.push(years)),
    // The view each record carries is the workflow's status at that moment (asserted by the API tests): kept apart.
    recordStage: jest.fn(async ({ view: _view, ...s }) => void stages.push(s)),
    issueResult: jest.fn(async ({ decision, kind, round }: ResultRecord) => {
      decisions.push(decision);
      return issued({ applicationId: decision.applicationId, kind, ...(round && { round }) });
    }),
    issueNotice: jest.fn(async (request) => issued(request)),

    recordComplaint: jest.fn(async () => {}),
    recordComplaintStage: jest.fn(async ({ view: _view, ...s }) => void complaintStages.push(s)),
    recordComplaintDecision: jest.fn(async () => {}),
    recordCustody: jest.fn(async ({ view: _view, ...step }) => void custody.push(step)),
  };
  return { activities, stages, notices, gaps, decisions, noticeRequests, complaintStages, custody };
}

/** The workflow code bundled once per test file, not once per worker: a bundle takes about two seconds. */
let bundle: Promise<WorkflowBundle> | undefined;

export async function withWorker<T>(activities: Activities, run: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
  bundle ??= bundleWorkflowCode({ workflowsPath: workflowCode.workflowsPath, ...workflowCode.bundlerOptions, logger: quietBundler });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundle,
    activities,
  });
  return worker.runUntil(run(taskQueue));
}

const quietBundler = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };

/**
 * With RECORD_HISTORIES=1 (`npm run histories`), saves a finished workflow's history into test/histories/, where
 * test/replay.test.ts replays it against the current workflow code: a change that would break running cases
 * fails the build.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await handle.fetchHistory();
  fs.writeFileSync(path.join(__dirname, '..', 'histories', `${name}.binpb`), temporal.api.history.v1.History.encode(history).finish());
}

/**
 * Waits until a complaint can be decided: registered and, filed through the provider, forwarded by it to the body
 * above (APPK art. 91 §4) — unless the provider itself is to decide (satisfy it in full) while it holds it.
 */
export async function untilDecidable(complaint: WorkflowHandle, by: 'reviewing-body' | 'provider' = 'reviewing-body'): Promise<ComplaintStatus> {
  const open = await untilQuery(complaint, complaintStatusQuery, (c) => c.state === 'with-provider' || c.state === 'under-review');
  if (open.state === 'under-review' || by === 'provider') return open;
  await complaint.executeUpdate(forwardComplaintUpdate, { args: [{ official: 'Head of the provider' }] });
  return untilQuery(complaint, complaintStatusQuery, (c) => c.state === 'under-review');
}

/** Moves the test server's clock to an instant (time skipping only goes forward). */
export async function skipTo(instant: Date): Promise<void> {
  const ms = instant.getTime() - (await env.currentTimeMs());
  if (ms > 0) await env.sleep(ms);
}

/** Starts an application's workflow on the test's task queue, under the id the test's case names. */
export function startApplication(taskQueue: string, input: ApplicationInput) {
  return client.workflow.start(applicationWorkflow, { taskQueue, workflowId: `wf-${input.applicationId}`, args: [input] });
}

/** Polls the status query until the workflow has got as far as the test needs. */
export async function until(handle: WorkflowHandle, reached: (s: ApplicationStatus) => boolean): Promise<ApplicationStatus> {
  return untilQuery(handle, statusQuery, reached);
}

export async function untilQuery<S>(handle: WorkflowHandle, query: QueryDefinition<S>, reached: (s: S) => boolean): Promise<S> {
  const deadline = Date.now() + PATIENCE_MS;
  while (Date.now() < deadline) {
    const status = await handle.query(query);
    if (reached(status)) return status;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the workflow did not reach the expected status: ${JSON.stringify(await handle.query(query))}`);
}

/** Asserts that an update was refused by the workflow's validator, with words matching `reason`. */
export async function expectRefused(update: Promise<unknown>, reason: RegExp): Promise<void> {
  const error = await update.then(
    () => {
      throw new Error('the update was accepted');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((error as WorkflowUpdateFailedError).cause?.message).toMatch(reason);
}

/** Lets the complaint period of a delivered result run out (R13) and returns the closed case. */
export async function closeAfterComplaintPeriod(handle: WorkflowHandle): Promise<ApplicationStatus> {
  const { complaintPeriodEndsAt } = await until(handle, (s) => s.state === 'notified');
  await skipTo(new Date(Date.parse(complaintPeriodEndsAt!) + 1000));
  return handle.result();
}

/** A Friday 19:00 after the test server's clock whose Friday, Monday and Tuesday are working days (published calendar). */
export async function nextOrdinaryFridayEvening(): Promise<Date> {
  return ordinaryFridayEveningAfter(new Date(await env.currentTimeMs()));
}

/** 10:00 of a Monday after the test server's clock that begins five plain working days (published calendar). */
export async function nextOrdinaryMondayMorning(): Promise<Date> {
  return ordinaryMondayMorningAfter(new Date(await env.currentTimeMs()));
}

export const decision = { decision: 'accept' as const, official: 'Head of the education department' };
