/**
 * One case's story for support staff (`cli case <id>`, the console's case page): where it is, its deadlines,
 * the stages it passed (its stage log), what its workflows are doing now, its documents, complaints and messages.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ApplicationStatus } from '../../domain/case-status';
import { caseMessages, caseRecordForStory, gatewayExchangesOf, parseView } from '../../infra/case-store';
import type { Store } from '../../infra/store';
import { failureText } from './failure-text';
import { ts } from './proto-time';

/**
 * One case's whole story for support (`cli case <id>`): where it is, its deadlines, every stage it passed with
 * the time (from the monitoring reports the case itself wrote), what it is doing now (pending activities and
 * their last errors), its documents and complaints, and whether every message left the outbox.
 */
export async function caseStory(client: Client, store: Store, id: string) {
  const application = await caseRecordForStory(store, id);
  if (!application) return null;
  const applicationId = application.id;
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
          pendingActivities: await Promise.all(
            (d.raw.pendingActivities ?? []).map(async (a) => ({
              activity: a.activityType?.name ?? null,
              attempt: a.attempt ?? 1,
              lastError: await failureText(client, a.lastFailure),
              nextAttemptAt: ts(a.nextAttemptScheduleTime)?.toISOString() ?? null,
            })),
          ),
        };
      } catch (error) {
        // Not found is known; any other failure to ask is "unknown now" (issue 29), never "gone".
        const status = error instanceof WorkflowNotFoundError ? 'NOT_FOUND' : 'UNKNOWN';
        return { workflowId, type: null, status, historyLength: 0, startTime: null, closeTime: null, pendingActivities: [] };
      }
    }),
  );
  const messages = await caseMessages(store, applicationId);
  const exchanges = await gatewayExchangesOf(store, application.workflowId);
  const delivered = new Set(messages.filter((m) => m.status === 'delivered').map((m) => m.key));
  return {
    applicationId,
    state: application.state,
    overdue: application.overdue,
    category: application.category,
    channel: application.channel,
    standard: application.standard,
    providerUnit: application.providerUnit,
    round: application.round,
    custody: parseView<ApplicationStatus>(application.view)?.custody ?? null,
    // R8: the person register's word on the applicant — a name that differs, or no such person, is for a person to weigh
    identity: parseView<ApplicationStatus>(application.view)?.identity ?? null,
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
    // The case's own log of its stages (issue 29), each with whether its report reached monitoring (R12).
    stages: application.stages.map((s) => ({ stage: s.stage, complaintId: s.complaintId, at: s.at.toISOString(), delivered: delivered.has(s.key) })),
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
    // Issue 33: each message to the e-government gateway, by the ids its operator traces (no personal data).
    gatewayExchanges: exchanges.map((e) => ({
      at: e.at.toISOString(),
      interaction: e.interaction,
      serviceId: e.serviceId,
      messageId: e.messageId,
      answerMessageId: e.answerMessageId,
      statusCode: e.statusCode,
    })),
    workflows: runs,
  };
}
