/**
 * One application, from submission to the signed notice in the personal cabinet, as the service standard
 * orders it: registration at the next working moment (R7), the provider's decision within one working day
 * (R3), escalation when it is late (the decision is still owed), and the result delivered (R5).
 */
import {
  ApplicationFailure,
  condition,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import { DecisionSchema, SubmissionSchema, WithdrawalSchema, parseInput, type ApplicationInput, type ProviderDecision } from '../domain/application';
import { findDefects } from '../domain/admissibility';
import { defaultWindow, withinWindow } from '../domain/campaign';
import { WorkingCalendar, formatInstant } from '../domain/calendar';
import { advance, startLifecycle, type LifecycleEvent } from '../domain/lifecycle';
import { ApplicationStateKey, DecisionDueAtKey, OverdueKey } from '../domain/search-attributes';
import { DECISION_TERM_WORKING_DAYS } from '../domain/service';
import { decideUpdate, statusQuery, withdrawUpdate, type ApplicationStatus } from './messages';

const store = proxyActivities<activities.Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function applicationWorkflow(input: ApplicationInput): Promise<ApplicationStatus> {
  // Not an application: refused again at the workflow boundary, whatever door it came through.
  const { applicationId: _id, cabinetId: _cabinet, campaignWindow, ...submission } = input;
  const checked = parseInput(SubmissionSchema, submission);
  if (!checked.ok) throw ApplicationFailure.nonRetryable(checked.error.message, 'InvalidApplication', checked.error);
  const window = campaignWindow ?? defaultWindow(input.academicYear);
  if (!withinWindow(new Date(input.submittedAt), window)) {
    throw ApplicationFailure.nonRetryable(
      `submittedAt: outside the campaign window for ${input.academicYear} (R10)`,
      'InvalidApplication',
      { code: 'outside-campaign', field: 'submittedAt', rule: 'R10' },
    );
  }

  let lifecycle = startLifecycle();
  let decision: ProviderDecision | undefined;
  // A withdrawal is taken at the next safe point of the main flow, so it never races a stage being recorded.
  let withdrawalRequested = false;
  const status: ApplicationStatus = {
    applicationId: input.applicationId,
    state: 'received',
    submittedAt: input.submittedAt,
    registeredAt: null,
    decisionDueAt: null,
    overdue: false,
    decision: null,
    refusalGrounds: null,
    decidedAt: null,
    notifiedAt: null,
    withdrawnAt: null,
  };
  const fire = (event: LifecycleEvent) => {
    lifecycle = advance(lifecycle, event);
    status.state = lifecycle.value as ApplicationStatus['state'];
    status.overdue = lifecycle.context.overdue;
    upsertSearchAttributes([
      { key: ApplicationStateKey, value: status.state },
      { key: OverdueKey, value: status.overdue },
    ]);
  };

  /** The provider's decision (or the automatic check's) enters the case: lifecycle, status and all. */
  const takeDecision = (d: ProviderDecision) => {
    decision = d;
    fire({ type: 'DECISION_MADE', decision: d.decision });
    status.decision = d.decision;
    status.refusalGrounds = d.grounds ?? null;
    status.decidedAt = new Date().toISOString();
  };

  setHandler(statusQuery, () => status);
  setHandler(
    decideUpdate,
    (d) => {
      takeDecision(d);
      return status;
    },
    {
      validator: (d) => {
        const parsed = parseInput(DecisionSchema, d);
        if (!parsed.ok) throw new Error(parsed.error.message);
        if (!lifecycle.can({ type: 'DECISION_MADE', decision: d.decision }) || withdrawalRequested) {
          const state = withdrawalRequested ? 'being withdrawn' : status.state;
          throw new Error(`a decision is taken only while the application is under review; it is ${state}`);
        }
      },
    },
  );
  setHandler(
    withdrawUpdate,
    async () => {
      withdrawalRequested = true;
      await condition(() => status.state === 'withdrawn');
      return status;
    },
    {
      validator: (w) => {
        const parsed = parseInput(WithdrawalSchema, w);
        if (!parsed.ok) throw new Error(parsed.error.message);
        if (!lifecycle.can({ type: 'WITHDRAWN' }) || decision !== undefined) {
          throw new Error(`an application can be withdrawn only before the decision; it is ${status.state}`);
        }
      },
    },
  );

  /** Applies a requested withdrawal at a safe point; true when the case is now closed. */
  const withdrawnHere = async (): Promise<boolean> => {
    if (!withdrawalRequested || status.state === 'withdrawn') return withdrawalRequested;
    fire({ type: 'WITHDRAWN' });
    status.withdrawnAt = new Date().toISOString();
    await store.recordStage({ applicationId: input.applicationId, state: status.state });
    setCurrentDetails('Withdrawn by the applicant before a decision; the case is closed');
    return true;
  };

  await store.recordApplication.executeWithOptions({ summary: 'store the received application (R10: one per teacher and year)' }, [input]);
  if (await withdrawnHere()) return status;

  // R7: received after working hours, on a weekend or a holiday → registered at the next working moment.
  const calendar = new WorkingCalendar(
    await store.loadCalendarOverrides.executeWithOptions({ summary: "read operators' calendar overrides (R7)" }, []),
  );
  const submittedAt = new Date(input.submittedAt);
  const registrationMoment = calendar.registrationMoment(submittedAt);
  if (registrationMoment.getTime() > Date.now()) {
    fire({ type: 'REGISTRATION_DEFERRED' });
    await store.recordStage({ applicationId: input.applicationId, state: status.state });
    const until = formatInstant(registrationMoment);
    setCurrentDetails(`Received outside working hours; registers at ${until} (R7)`);
    await condition(() => withdrawalRequested, registrationMoment.getTime() - Date.now(), {
      summary: `registration at the next working moment, ${until}`,
    });
    if (await withdrawnHere()) return status;
  }

  // R3: the provider decides within one working day of registration.
  const decisionDueAt = calendar.deadline(registrationMoment, DECISION_TERM_WORKING_DAYS);
  const uncertainYears = calendar.uncertainYears(submittedAt, decisionDueAt);
  if (uncertainYears.length > 0) {
    await store.reportCalendarGap({ applicationId: input.applicationId, years: uncertainYears });
  }
  status.registeredAt = registrationMoment.toISOString();
  status.decisionDueAt = decisionDueAt.toISOString();
  fire({ type: 'REGISTERED' });
  upsertSearchAttributes([{ key: DecisionDueAtKey, value: decisionDueAt }]);

  // R9: an application with defects found by rule is refused at once, every defect listed; ground 1
  // (unreliable documents) is left to the provider. Checked while merely registered, so no provider decision
  // can cross the automatic one.
  const records = await store.lookUpStateRecords.executeWithOptions(
    { summary: 'look up education and employment records via the gateway (R8)' },
    [{ iin: input.iin }],
  );
  const defects = findDefects(checked.value, records);
  fire({ type: 'REVIEW_STARTED' });
  // A case registered late (a backlog, a submission relayed late) is overdue on arrival: flagged before any
  // decision can reach it, so a quick decision cannot hide the breach.
  const overdueOnArrival = decisionDueAt.getTime() <= Date.now();
  if (overdueOnArrival) fire({ type: 'DECISION_DEADLINE_PASSED' });
  if (defects.length > 0 && !withdrawalRequested) {
    takeDecision({
      decision: 'refuse',
      grounds: [...new Set(defects.map((d) => d.ground))].sort(),
      motivation: defects.map((d) => `${d.text} (${d.rule})`).join('; '),
      official: 'automatic check of the application',
    });
  }
  await store.recordStage({
    applicationId: input.applicationId,
    state: 'under-review', // the stage reached, even when the automatic check decided within it
    registeredAt: status.registeredAt,
    decisionDueAt: status.decisionDueAt,
  });

  const due = formatInstant(decisionDueAt);
  setCurrentDetails(`Waiting for the provider's decision until ${due} (R3)`);
  const inTime =
    !overdueOnArrival &&
    (decision !== undefined ||
      (await condition(() => decision !== undefined || withdrawalRequested, decisionDueAt.getTime() - Date.now(), {
        summary: `the provider's decision is due by ${due}`,
      })));
  if (await withdrawnHere()) return status;
  if (!inTime) {
    // Overdue is a flag with an escalation, not a dead end: the decision is still owed. A late decision is
    // escalated too: the supervising unit learns of every breach of the term.
    if (!status.overdue) fire({ type: 'DECISION_DEADLINE_PASSED' });
    log.warn('decision overdue', { applicationId: input.applicationId, decisionDueAt: status.decisionDueAt });
    await store.recordStage({ applicationId: input.applicationId, state: status.state, overdue: true });
    if (decision === undefined) {
      setCurrentDetails(`OVERDUE: the provider's decision was due by ${due} and is still owed (R3)`);
      await condition(() => decision !== undefined || withdrawalRequested);
      if (await withdrawnHere()) return status;
    }
  }

  const made = decision!;
  await store.recordDecision({
    applicationId: input.applicationId,
    state: status.state,
    decision: made.decision,
    grounds: made.grounds ?? [],
    motivation: made.motivation ?? null,
    official: made.official,
    decidedAt: status.decidedAt!,
  });

  // R5: the notification of acceptance or the motivated refusal, delivered to the personal cabinet.
  const kind = made.decision === 'accept' ? 'acceptance' : 'refusal';
  const notice = await store.issueNotice.executeWithOptions(
    { summary: `sign the ${kind} notice and deliver it to the personal cabinet (R5)` },
    [{ applicationId: input.applicationId, kind }],
  );
  status.notifiedAt = notice.createdAt;
  fire({ type: 'NOTICE_ISSUED' });
  await store.recordStage({ applicationId: input.applicationId, state: status.state });
  fire({ type: 'CASE_CLOSED' });
  await store.recordStage({ applicationId: input.applicationId, state: status.state });
  setCurrentDetails(`Closed: ${made.decision === 'accept' ? 'documents accepted' : 'motivated refusal'}, notice delivered to the personal cabinet`);
  return status;
}
