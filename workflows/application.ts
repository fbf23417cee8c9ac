/**
 * One application, from submission to the end of its complaints, as the service standard orders it:
 * registration at the next working moment (R7), the provider's decision within the channel's term (R3) —
 * flagged and escalated when late, and still owed — the automatic refusal of defects found by rule (R9), the
 * signed result delivered (R5), and the complaints against it (R13) until the administrative (pre-trial) stage
 * is over. The case's state is in case-state.ts, the result's way through the State Corporation in custody.ts,
 * the complaint stage in complaint-stage.ts; the rules themselves are pure functions of domain/.
 */
import { ApplicationFailure, condition, log, patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { admissionContextOf, admit } from '../domain/admission';
import type { ApplicationInput, Submission } from '../domain/application';
import { findDefects } from '../domain/admissibility';
import { WorkingCalendar, formatInstant } from '../domain/calendar';
import type { ApplicationStatus } from '../domain/case-status';
import type { ResultKind } from '../domain/notices';
import { DecisionDueAtKey } from '../domain/search-attributes';
import { serviceTermEnd, standardOf, termInWords } from '../domain/standards';
import { filingPeriodEnd } from '../domain/complaint';
import { ApplicationCase } from './case-state';
import { ComplaintStage } from './complaint-stage';
import { ResultCustody } from './custody';
import { count } from './metrics';
import { caseStore, documents, gateway } from './proxies';
import { awaitWithinTerm } from './terms';

/** Cases started before complaints existed closed right after the notice; `patched` keeps them replaying so. */
export const COMPLAINT_STAGE_PATCH = 'complaint-stage-r13';
/** Who decides an application refused by rule (R9). */
const AUTOMATIC_CHECK = 'automatic check of the application';

/**
 * The workflow of one application (`application-<applicationId>`). Its input is fixed by the API at submission
 * (domain/application.ts `ApplicationInput`), with the context it was admitted in; it answers the case's final
 * status. Messages: the `status` query, the `decide`, `withdraw`, `resultCustody` and `fileComplaint` updates
 * (messages.ts), each refused by its guard (domain/guards.ts) with a typed refusal.
 */
export async function applicationWorkflow(input: ApplicationInput): Promise<ApplicationStatus> {
  const application = admitted(input);
  const kase = new ApplicationCase(input, standardOf(input));
  const custody = new ResultCustody(kase);
  const complaints = new ComplaintStage(kase);
  kase.listen();
  custody.listen();
  complaints.listen();

  await caseStore.recordApplication.executeWithOptions({ summary: 'store the received application (R10: one per teacher and year)' }, [input]);
  if (await kase.withdrawnHere()) return kase.status;

  // R7: received after working hours, on a weekend or a holiday → registered at the next working moment.
  kase.calendar = new WorkingCalendar(
    await caseStore.loadCalendarOverrides.executeWithOptions({ summary: "read operators' calendar overrides (R7)" }, []),
  );
  const registeredAt = await awaitRegistration(kase);
  if (registeredAt === 'withdrawn') return kase.status;

  // R3: the channel's term runs from registration.
  const decisionDueAt = await startTerm(kase, registeredAt);

  // R9: defects found by rule are refused at once; ground 1 (unreliable documents) is the provider's finding.
  const overdueOnArrival = await checkByRule(kase, application);
  if (kase.rules.delivery === 'state-corporation') {
    // R5: the State Corporation gives a receipt for the package (the applicant collects the result against it)
    // and hands the package to the provider. After the stage is recorded, so the receipt carries the term.
    await documents.issueNotice.executeWithOptions({ summary: "issue the State Corporation's receipt for the package (R5)" }, [
      { applicationId: kase.id, kind: 'intake-receipt' },
    ]);
    await custody.record('package-handed-over');
  }

  // R3, R5: the provider's decision within the term, and the signed result delivered.
  if ((await decideAndDeliver(kase, custody, decisionDueAt, overdueOnArrival)) === 'withdrawn') return kase.status;
  if (!patched(COMPLAINT_STAGE_PATCH)) return closedAfterNotice(kase);

  // R13: the result may be contested; an upheld complaint against it sends the case back to review.
  while ((await complaints.untilOverOrReopened()) === 'reopened') {
    if ((await decideAndDeliver(kase, custody, await complaints.reopenReview(), false)) === 'withdrawn') return kase.status;
  }
  await complaints.close();
  return kase.status;
}

/** Not an application: refused again at the workflow boundary, with the context the API admitted it in. */
function admitted(input: ApplicationInput): Submission {
  const {
    applicationId: _id,
    cabinetId: _cabinet,
    campaignWindow: _window,
    standard: _standard,
    standardSince: _since,
    calendarOverrides: _overrides,
    ...submission
  } = input;
  const admission = admit(submission, admissionContextOf(input));
  if (!admission.ok) {
    const { refusal } = admission;
    throw ApplicationFailure.create({ type: 'InvalidApplication', message: refusal.message, details: [refusal], nonRetryable: true });
  }
  return admission.application;
}

/**
 * R7: the next working moment for the portal and the Platform; at once when taken in person during the hours.
 * A withdrawal while waiting for it closes the case.
 */
async function awaitRegistration(kase: ApplicationCase): Promise<Date | 'withdrawn'> {
  const submittedAt = new Date(kase.input.submittedAt);
  const registrationMoment = kase.rules.intake === 'around-the-clock' ? kase.calendar.registrationMoment(submittedAt) : submittedAt;
  if (registrationMoment.getTime() > Date.now()) {
    kase.fire({ type: 'REGISTRATION_DEFERRED' });
    await kase.recordStage();
    const until = formatInstant(registrationMoment);
    setCurrentDetails(`Received outside working hours; registers at ${until} (R7)`);
    await condition(() => kase.withdrawalRequested, registrationMoment.getTime() - Date.now(), {
      summary: `registration at the next working moment, ${until}`,
    });
    if (await kase.withdrawnHere()) return 'withdrawn';
  }
  return registrationMoment;
}

/**
 * R3: the term of the channel: one working day of registration (portal, Platform); 20 minutes at the office;
 * 3 or 7 working days through the State Corporation, the day of acceptance not counted.
 */
async function startTerm(kase: ApplicationCase, registeredAt: Date): Promise<Date> {
  const { calendar, input, status } = kase;
  const decisionDueAt = serviceTermEnd(kase.rules, registeredAt, calendar, input.serviceLocality);
  const uncertainYears = calendar.uncertainYears(new Date(input.submittedAt), decisionDueAt);
  if (uncertainYears.length > 0) await caseStore.reportCalendarGap({ applicationId: kase.id, years: uncertainYears });
  status.registeredAt = registeredAt.toISOString();
  status.decisionDueAt = decisionDueAt.toISOString();
  kase.fire({ type: 'REGISTERED' });
  upsertSearchAttributes([{ key: DecisionDueAtKey, value: decisionDueAt }]);
  count('registered', { channel: input.channel, category: input.category });
  return decisionDueAt;
}

/**
 * R8, R9: an application with defects found by rule is refused at once, every defect listed. Checked while
 * merely registered, so no provider decision can cross the automatic one. A case registered late (a backlog, a
 * submission relayed late) is overdue on arrival: flagged before any decision can reach it, so a quick decision
 * cannot hide the breach. Answers whether it is.
 */
async function checkByRule(kase: ApplicationCase, application: Submission): Promise<boolean> {
  const records = await gateway.lookUpStateRecords.executeWithOptions({ summary: 'look up education and employment records via the gateway (R8)' }, [
    { iin: application.iin },
  ]);
  const defects = findDefects(application, records, kase.standard);
  kase.fire({ type: 'REVIEW_STARTED' });
  const overdueOnArrival = Date.parse(kase.status.decisionDueAt!) <= Date.now();
  if (overdueOnArrival) kase.fire({ type: 'DECISION_DEADLINE_PASSED' });
  if (defects.length > 0 && !kase.withdrawalRequested) {
    kase.takeDecision({
      decision: 'refuse',
      grounds: [...new Set(defects.map((d) => d.ground))].sort(),
      motivation: defects.map((d) => `${d.text} (${d.rule})`).join('; '),
      official: AUTOMATIC_CHECK,
    });
  }
  // the stage reached, even when the automatic check decided within it
  await kase.recordStage({ state: 'under-review', registeredAt: kase.status.registeredAt!, decisionDueAt: kase.status.decisionDueAt! });
  return overdueOnArrival;
}

/**
 * R3, R5: waits for the provider's decision until the term (flagged and escalated when late: the decision is
 * still owed), then records it and delivers the signed result: to the personal cabinet, at the office, or
 * through the State Corporation.
 */
async function decideAndDeliver(
  kase: ApplicationCase,
  custody: ResultCustody,
  decisionDueAt: Date,
  overdueOnArrival: boolean,
): Promise<'withdrawn' | 'notified'> {
  const { input, rules, status } = kase;
  const due = formatInstant(decisionDueAt);
  setCurrentDetails(`Waiting for the provider's decision until ${due} (R3: ${termInWords(rules, input.serviceLocality)})`);
  const decided = () => kase.decision !== undefined;
  const came =
    decided() && !overdueOnArrival
      ? 'in-time'
      : await awaitWithinTerm({
          done: decided,
          interrupted: () => kase.withdrawalRequested,
          dueAt: decisionDueAt,
          lateAlready: overdueOnArrival,
          summary: `the provider's decision is due by ${due}`,
          // A late decision is escalated too: the supervising unit learns of every breach of the term.
          whenLate: async () => {
            if (!status.overdue) kase.fire({ type: 'DECISION_DEADLINE_PASSED' });
            log.warn('decision overdue', { applicationId: kase.id, decisionDueAt: status.decisionDueAt });
            count('decisionOverdue', { provider_unit: input.providerUnit });
            await kase.recordStage({ overdue: true, ...kase.roundStage() });
          },
          stillOwed: () => setCurrentDetails(`OVERDUE: the provider's decision was due by ${due} and is still owed (R3)`),
        });
  if (came === 'interrupted' && (await kase.withdrawnHere())) return 'withdrawn';

  const made = kase.decision!;
  count('decided', { decision: made.decision, in_time: came === 'in-time', automatic: made.official === AUTOMATIC_CHECK });
  await caseStore.recordDecision({
    applicationId: kase.id,
    state: status.state,
    decision: made.decision,
    grounds: made.grounds ?? [],
    motivation: made.motivation ?? null,
    official: made.official,
    decidedAt: status.decidedAt!,
  });

  // R5: the notification of acceptance (the receipt, at the office and the State Corporation) or the
  // motivated refusal, signed.
  const kind: ResultKind = made.decision === 'accept' ? rules.acceptanceDocument : 'refusal';
  const result = { applicationId: kase.id, kind, ...(status.round > 1 && { round: status.round }) };
  if (rules.delivery === 'state-corporation') {
    await documents.issueNotice.executeWithOptions({ summary: `sign the ${kind} and send it to the State Corporation (R5)` }, [result]);
    count('noticeIssued', { kind });
    status.notifiedAt = await custody.untilCollected();
  } else {
    const where = rules.delivery === 'at-the-office' ? 'hand it over at the office' : 'deliver it to the personal cabinet';
    const notice = await documents.issueNotice.executeWithOptions({ summary: `sign the ${kind} notice and ${where} (R5)` }, [result]);
    status.notifiedAt = notice.createdAt;
    count('noticeIssued', { kind });
  }
  // R13: the period runs from the delivery, in workflow time: the moment this workflow learned it was done.
  kase.resultDeliveredAt = Date.now();
  status.complaintPeriodEndsAt = filingPeriodEnd(kase.calendar, new Date(kase.resultDeliveredAt)).toISOString();
  if (rules.delivery !== 'state-corporation') kase.fire({ type: 'NOTICE_ISSUED' });
  await kase.recordStage({ complaintPeriodEndsAt: status.complaintPeriodEndsAt, ...kase.roundStage() });
  return 'notified';
}

/** Cases started before complaints existed: closed right after the notice. */
async function closedAfterNotice(kase: ApplicationCase): Promise<ApplicationStatus> {
  kase.fire({ type: 'CASE_CLOSED' });
  await kase.recordStage();
  setCurrentDetails(
    `Closed: ${kase.decision!.decision === 'accept' ? 'documents accepted' : 'motivated refusal'}, notice delivered to the personal cabinet`,
  );
  return kase.status;
}
