/**
 * One application, from submission to the end of its complaints, as the service standard orders it:
 * registration at the next working moment (R7), the provider's decision within the channel's term (R3) —
 * flagged and escalated when late, and still owed — the automatic refusal of defects found by rule (R9), the
 * signed result delivered (R5), and the complaints against it (R13) until the administrative (pre-trial) stage
 * is over. The case's state is in case-state.ts, the result's way through the State Corporation in custody.ts,
 * the complaint stage in complaint-stage.ts; the rules themselves are pure functions of domain/.
 */
import { condition, log, patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { DECIDED_BY_RULE, type ApplicationInput } from '../domain/application';
import { inBothLanguages } from '../domain/fields';
import { findDefects, mayReadStateRecords, type Defect } from '../domain/admissibility';
import { identityCheck, nameOnDocuments } from '../domain/identity';
import { WorkingCalendar, formatInstant } from '../domain/calendar';
import type { ApplicationStatus, ClosedCaseReopening } from '../domain/case-status';
import { defectsInWords, type ResultKind } from '../domain/notices';
import { DecisionDueAtKey } from '../domain/search-attributes';
import { standardOf, termInWords } from '../domain/standards';
import { filingPeriodEnd } from '../domain/complaint';
import { ApplicationCase } from './case-state';
import { ComplaintStage } from './complaint-stage';
import { ResultCustody } from './custody';
import { count } from './metrics';
import { caseStore, documents, gateway } from './proxies';
import type { ResultRecord } from '../activities';
import { awaitWithinTerm } from './terms';
import { PATCHES } from './patches';

/**
 * The workflow of one application (`application-<applicationId>`). Its input is the application as the API
 * admitted it (domain/admission.ts, with the context fixed at submission): the door decides admission, and the
 * workflow trusts it, so a rule changed at the door never changes a running case. It answers the case's final
 * status. Messages: the `status` query, the `decide`, `withdraw`, `resultCustody` and `fileComplaint` updates
 * (messages.ts), each refused by its guard (domain/guards.ts) with a typed refusal. A new run of a closed case,
 * started by a complaint upheld against its result (complaint.ts), has `reopening` and enters review at once.
 */
export async function applicationWorkflow(input: ApplicationInput, reopening?: ClosedCaseReopening): Promise<ApplicationStatus> {
  const kase = new ApplicationCase(input, standardOf(input));
  const custody = new ResultCustody(kase);
  const complaints = new ComplaintStage(kase);
  kase.listen({ custody, complaints });

  // R3, R5: the provider's decision within the term, and the signed result delivered.
  let came = reopening ? await reviewTheClosedCaseAgain(kase, complaints, reopening) : await firstReview(kase, custody, complaints);
  if (came === 'withdrawn') return kase.status;
  await deliverResult(kase, custody, came);

  // R13: the result may be contested; an upheld complaint against it sends the case back to review.
  while ((await complaints.untilOverOrReopened()) === 'reopened') {
    came = await awaitDecision(kase, complaints, await complaints.reopenReview(), false);
    if (came === 'withdrawn') return kase.status;
    await deliverResult(kase, custody, came);
  }
  await complaints.close();
  return kase.status;
}

/**
 * A case from its submission to the provider's decision: stored (R10), registered (R7), checked by rule (R8, R9),
 * and decided within the channel's term (R3).
 */
async function firstReview(kase: ApplicationCase, custody: ResultCustody, complaints: ComplaintStage): Promise<'withdrawn' | 'in-time' | 'late'> {
  const { input } = kase;
  await caseStore.recordApplication.executeWithOptions({ summary: "store the received application (R10: it holds the teacher's year)" }, [
    input,
    kase.status,
  ]);
  if (await kase.withdrawnHere()) return 'withdrawn';

  // R7: received after working hours, on a weekend or a holiday → registered at the next working moment.
  kase.calendar = new WorkingCalendar(
    await caseStore.loadCalendarOverrides.executeWithOptions({ summary: "read operators' calendar overrides (R7)" }, []),
  );
  const registeredAt = await awaitRegistration(kase);
  if (registeredAt === 'withdrawn') return 'withdrawn';

  // R3: the channel's term runs from registration.
  const decisionDueAt = await startTerm(kase, registeredAt);

  // R9: defects found by rule are refused at once; ground 1 (unreliable documents) is the provider's finding.
  const overdueOnArrival = await checkByRule(kase);
  if (kase.rules.delivery === 'state-corporation') {
    // R5: the State Corporation gives a receipt for the package (the applicant collects the result against it)
    // and hands the package to the provider. After the stage is recorded, so the receipt carries the term.
    await documents.issueNotice.executeWithOptions({ summary: "issue the State Corporation's receipt for the package (R5)" }, [
      { applicationId: kase.id, kind: 'intake-receipt' },
    ]);
    await custody.record('package-handed-over');
  }

  // R3: the provider's decision within the term; R13: complaints against its inaction while it is overdue.
  return awaitDecision(kase, complaints, decisionDueAt, overdueOnArrival);
}

/**
 * R13, APPK art. 92: a closed case taken back to review by a complaint upheld against its result: the case as the
 * store recorded it, its result superseded, and the provider's decision owed again within the channel's term.
 */
async function reviewTheClosedCaseAgain(
  kase: ApplicationCase,
  complaints: ComplaintStage,
  reopening: ClosedCaseReopening,
): Promise<'withdrawn' | 'in-time' | 'late'> {
  kase.restore(reopening);
  const decisionDueAt = await complaints.reopenReview('closed-case');
  log.info('closed case reopened by an upheld complaint', { applicationId: kase.id, complaintId: reopening.reopenedBy.complaintId });
  return awaitDecision(kase, complaints, decisionDueAt, false);
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
 * R3: the term of the channel: one working day of working time from registration (portal, Platform: an after-hours
 * application registered at the opening is due at that day's close, 000 §7); 20 minutes at the office; 3 or 7
 * working days through the State Corporation, the day of acceptance not counted.
 */
async function startTerm(kase: ApplicationCase, registeredAt: Date): Promise<Date> {
  const { calendar, input, status } = kase;
  const decisionDueAt = kase.termEnd(registeredAt);
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
async function checkByRule(kase: ApplicationCase): Promise<boolean> {
  const application = kase.input;
  // Without consent the restricted records are not read at all (R9 ground 3; the Law on personal data, art. 8).
  // A case of the earlier standard started before this held read them regardless (issue 33).
  const earlierRule = !application.personalDataConsent && !kase.standard.checks.consent && !patched(PATCHES.consentWhateverStandard);
  const records = !mayReadStateRecords(application, kase.standard, { earlierRule })
    ? null
    : await gateway.lookUpStateRecords.executeWithOptions({ summary: 'look up education and employment records via the gateway (R8)' }, [
        { iin: application.iin },
      ]);
  // R8: the register's name is the one the documents print; a differing or unknown one is shown to the provider
  const identity = identityCheck(application.fullName, records?.person);
  if (identity) kase.status.identity = identity;
  const defects = findDefects(application, records, kase.standard);
  kase.fire({ type: 'REVIEW_STARTED' });
  const overdueOnArrival = Date.parse(kase.status.decisionDueAt!) <= Date.now();
  if (overdueOnArrival) kase.fire({ type: 'DECISION_DEADLINE_PASSED' });
  if (defects.length > 0 && !kase.withdrawalRequested) {
    kase.takeDecision({
      decision: 'refuse',
      grounds: [...new Set(defects.map((d) => d.ground))].sort(),
      motivation: { kk: defectsInWords(defects, 'kk').join('; '), ru: defectsInWords(defects, 'ru').join('; ') },
      decidedBy: DECIDED_BY_RULE,
    });
    kase.defects = defects;
  }
  // the stage reached, even when the automatic check decided within it
  await kase.recordStage({ state: 'under-review', registeredAt: kase.status.registeredAt!, decisionDueAt: kase.status.decisionDueAt! });
  return overdueOnArrival;
}

/**
 * R3: waits for the provider's decision until the term — flagged and escalated when late: the decision is still
 * owed — taking complaints against the inaction meanwhile (R13). Answers whether it came in time, late, or the
 * applicant withdrew first.
 */
async function awaitDecision(
  kase: ApplicationCase,
  complaints: ComplaintStage,
  decisionDueAt: Date,
  overdueOnArrival: boolean,
): Promise<'withdrawn' | 'in-time' | 'late'> {
  const { input, rules, status } = kase;
  const due = formatInstant(decisionDueAt);
  setCurrentDetails(`Waiting for the provider's decision until ${due} (R3: ${termInWords(rules, input.serviceLocality)})`);
  const decided = () => kase.decision !== undefined;
  let escalated = false;
  const waitForDecision = (lateAlready: boolean) =>
    awaitWithinTerm({
      done: decided,
      // R13: complaints are taken during the review too (against the provider's inaction while it is overdue).
      interrupted: () => kase.withdrawalRequested || complaints.pending(),
      dueAt: decisionDueAt,
      lateAlready,
      summary: `the provider's decision is due by ${due}`,
      // A late decision is escalated too: the supervising unit learns of every breach of the term.
      whenLate: async () => {
        if (escalated) return;
        escalated = true;
        if (!status.overdue) kase.fire({ type: 'DECISION_DEADLINE_PASSED' });
        log.warn('decision overdue', { applicationId: kase.id, decisionDueAt: status.decisionDueAt });
        count('decisionOverdue', { provider_unit: input.providerUnit });
        await kase.recordStage({ overdue: true, ...kase.roundStage() });
      },
      stillOwed: () => setCurrentDetails(`OVERDUE: the provider's decision was due by ${due} and is still owed (R3)`),
    });
  let came = decided() && !overdueOnArrival ? 'in-time' : await waitForDecision(overdueOnArrival);
  // R13: a complaint filed, or a review concluded, while the decision is owed; then the wait goes on.
  while (came === 'interrupted' && !kase.withdrawalRequested) {
    const ordered = await complaints.takeDuringReview();
    if (ordered) await orderDecisionAtOnce(kase, ordered);
    came = decided() ? (escalated ? 'late' : 'in-time') : await waitForDecision(escalated);
  }
  if (came === 'interrupted' && (await kase.withdrawnHere())) return 'withdrawn';
  return came === 'in-time' ? 'in-time' : 'late';
}

/**
 * R5: the decision recorded with its signed result, delivered to the personal cabinet, at the office, or through
 * the State Corporation; the complaint period runs from the delivery (R13).
 */
async function deliverResult(kase: ApplicationCase, custody: ResultCustody, came: 'in-time' | 'late'): Promise<void> {
  const { input, rules, status } = kase;
  const made = kase.decision!;
  const byRule = made.decidedBy.kind === 'rule';
  count('decided', { decision: made.decision, in_time: came === 'in-time', automatic: byRule });
  // R5: the decision with its signed result — the notification of acceptance (the receipt, at the office and the
  // State Corporation) or the motivated refusal — recorded together, from what the case knows.
  const kind: ResultKind = made.decision === 'accept' ? rules.acceptanceDocument : 'refusal';
  const result: ResultRecord = {
    decision: {
      applicationId: kase.id,
      state: status.state,
      decision: made.decision,
      grounds: made.grounds ?? [],
      motivation: made.motivation === undefined ? null : inBothLanguages(made.motivation),
      // R5: a refusal by rule names no person (the system decided, the provider's key certifies), its defects as data.
      official: made.decidedBy.kind === 'official' ? made.decidedBy.name : null,
      ...(byRule && { defects: kase.defects as Defect[] }),
      decidedAt: status.decidedAt!,
    },
    kind,
    ...(status.round > 1 && { round: status.round }),
    // issue 31: the documents the official signed, stored as they are
    ...(made.signed && { signed: made.signed }),
    application: {
      fullName: nameOnDocuments(input.fullName, status.identity),
      iin: input.iin,
      category: input.category,
      purpose: input.purpose,
      standard: kase.standard.id,
      providerUnit: input.providerUnit,
      cabinetId: input.cabinetId ?? null,
      submittedAt: input.submittedAt,
      registeredAt: status.registeredAt,
      decisionDueAt: status.decisionDueAt,
    },
  };
  if (rules.delivery === 'state-corporation') {
    await documents.issueResult.executeWithOptions({ summary: `record the decision, sign the ${kind} and send it to the State Corporation (R5)` }, [
      result,
    ]);
    count('noticeIssued', { kind });
    status.notifiedAt = await custody.untilCollected();
  } else {
    const where = rules.delivery === 'at-the-office' ? 'hand it over at the office' : 'deliver it to the personal cabinet';
    const notice = await documents.issueResult.executeWithOptions({ summary: `record the decision, sign the ${kind} notice and ${where} (R5)` }, [
      result,
    ]);
    status.notifiedAt = notice.createdAt;
    count('noticeIssued', { kind });
  }
  // R13: the period runs from the delivery, in workflow time: the moment this workflow learned it was done.
  kase.resultDeliveredAt = Date.now();
  status.complaintPeriodEndsAt = filingPeriodEnd(kase.calendar, new Date(kase.resultDeliveredAt)).toISOString();
  if (rules.delivery !== 'state-corporation') kase.fire({ type: 'NOTICE_ISSUED' });
  await kase.recordStage({ complaintPeriodEndsAt: status.complaintPeriodEndsAt, ...kase.roundStage() });
}

/**
 * R13: an upheld complaint against the provider's inaction orders the decision at once: due from the moment of
 * the complaint's decision, reported, and escalated again to the supervising unit while it is still owed.
 */
async function orderDecisionAtOnce(kase: ApplicationCase, orderedAt: Date): Promise<void> {
  const { status } = kase;
  status.decisionDueAt = orderedAt.toISOString();
  status.decisionOrderedAt = status.decisionDueAt;
  upsertSearchAttributes([{ key: DecisionDueAtKey, value: orderedAt }]);
  count('decisionOrdered', { provider_unit: kase.input.providerUnit });
  log.warn('decision ordered at once by an upheld complaint', { applicationId: kase.id, orderedAt: status.decisionDueAt });
  await kase.recordStage({ decisionDueAt: status.decisionDueAt, overdue: true, occurrence: `ordered-${status.complaints.length}-r${status.round}` });
  setCurrentDetails(`OVERDUE: an upheld complaint ordered the provider's decision at once (${formatInstant(orderedAt)}); it is still owed (R13)`);
}
