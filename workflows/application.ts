/**
 * One application, from submission to the end of its complaints, as the service standard orders it:
 * registration at the next working moment (R7), the provider's decision within one working day (R3),
 * escalation when it is late (the decision is still owed), the result delivered (R5), and the complaints
 * against it (R13) until the administrative (pre-trial) stage is over.
 */
import {
  ApplicationFailure,
  ParentClosePolicy,
  condition,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import { store } from './proxies';
import type { ResultKind } from '../domain/notices';
import { DecisionSchema, SubmissionSchema, WithdrawalSchema, parseInput, type ApplicationInput, type ProviderDecision } from '../domain/application';
import { findDefects } from '../domain/admissibility';
import { defaultWindow, withinWindow } from '../domain/campaign';
import { WorkingCalendar, formatInstant } from '../domain/calendar';
import { advance, startLifecycle, type LifecycleEvent } from '../domain/lifecycle';
import { ComplaintSchema, complaintTerms, filingPeriodEnd, REVIEW_TERM_WORKING_DAYS, type ComplaintFiling, type ComplaintInput } from '../domain/complaint';
import {
  ApplicationStateKey,
  ComplaintAddresseeKey,
  ComplaintStateKey,
  DecisionDueAtKey,
  OverdueKey,
  ProviderUnitKey,
} from '../domain/search-attributes';
import {
  intakeRefusal,
  serviceTermEnd,
  standardOf,
  storageEnd,
  termInWords,
  type StandardProfile,
} from '../domain/standards';
import { complaintWorkflowIdFor } from '../domain/case-ids';
import { complaintWorkflow } from './complaint';
import { count } from './metrics';
import {
  decideUpdate,
  fileComplaintUpdate,
  resultCustodyUpdate,
  statusQuery,
  withdrawUpdate,
  type ApplicationStatus,
  type ComplaintStatus,
  type ComplaintSummary,
  type FiledComplaint,
} from './messages';
import { CUSTODY_EVENT_ORDER, custodyBeforeResult, parseCustodyEvent, type CustodyEvent, type CustodyStep } from '../domain/custody';

/** Cases started before complaints existed closed right after the notice; `patched` keeps them replaying so. */
export const COMPLAINT_STAGE_PATCH = 'complaint-stage-r13';
/** How far a complaint's `submittedAt` may run ahead of workflow time (clocks of the caller and the server). */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Who decides an application refused by rule (R9). */
const AUTOMATIC_CHECK = 'automatic check of the application';


export async function applicationWorkflow(input: ApplicationInput): Promise<ApplicationStatus> {
  // Not an application: refused again at the workflow boundary, whatever door it came through.
  const { applicationId: _id, cabinetId: _cabinet, campaignWindow, standard: _standard, ...submission } = input;
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
  // The standard in force at submission governs the case to its end (R2, R3, R5, R7, R14).
  const standard: StandardProfile = standardOf(input);
  const refusal = intakeRefusal(standard, input, new WorkingCalendar());
  if (refusal) throw ApplicationFailure.nonRetryable(`${refusal.field}: ${refusal.message}`, 'InvalidApplication', refusal);
  const rules = standard.channels[input.channel]!;

  let lifecycle = startLifecycle();
  let decision: ProviderDecision | undefined;
  // A withdrawal is taken at the next safe point of the main flow, so it never races a stage being recorded.
  let withdrawalRequested = false;
  const status: ApplicationStatus = {
    applicationId: input.applicationId,
    standard: standard.id,
    channel: input.channel,
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
    round: 1,
    supersededResults: [],
    complaintPeriodEndsAt: null,
    complaints: [],
    preTrialCompletedAt: null,
    custody: rules.delivery === 'state-corporation' ? custodyBeforeResult(input.homeVisit ? 'home' : 'state-corporation') : null,
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
        const foreign = (parsed.value.grounds ?? []).filter((g) => !standard.refusalGrounds.includes(g));
        if (foreign.length > 0) {
          throw new Error(`grounds: ${foreign.join(', ')} is not a ground for refusal under ${standard.title}; its grounds are ${standard.refusalGrounds.join(', ')} (R9)`);
        }
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

  // R5, R14 (earlier standard): what happens to a result at the State Corporation, reported by the State
  // Corporation and the provider; taken by the main flow, which answers once it is recorded.
  const custodyEvents: CustodyEvent[] = [];
  let custodyApplied = 0;
  setHandler(
    resultCustodyUpdate,
    async (event) => {
      custodyEvents.push(event);
      const awaited = custodyApplied + custodyEvents.length;
      await condition(() => custodyApplied >= awaited);
      return status;
    },
    {
      validator: (event) => {
        const parsed = parseCustodyEvent(event);
        if (!parsed.ok) throw new Error(parsed.error.message);
        if (!status.custody) throw new Error(`the result of this case is not kept at the State Corporation: it goes through the ${input.channel} channel (R5)`);
        const expected = { issued: 'awaiting-collection', requested: 'returned-to-provider', 'sent-again': 'requested-again' }[parsed.value.event];
        if (status.state !== expected || custodyEvents.length > 0) {
          throw new Error(`the result cannot be ${parsed.value.event} now: the case is ${status.state} (${CUSTODY_EVENT_ORDER})`);
        }
        const report = parsed.value;
        if (report.event === 'issued' && (report.place === 'home') !== (status.custody.place === 'home')) {
          throw new Error(`place: this result is issued ${status.custody.place === 'home' ? 'at home, on the home visit the applicant asked for (R11)' : 'at the State Corporation'}`);
        }
      },
    },
  );

  // R13: complaints are taken by the main flow at its next safe point, like a withdrawal; the update answers
  // once the complaint is registered and its workflow started.
  const filings: Array<{ request: ComplaintFiling & { submittedAt: string }; answer?: FiledComplaint }> = [];
  const concluded: ComplaintStatus[] = [];
  let administrativeStageOver = false;
  let complaintEvents = 0; // tells apart the stage reports of the complaint phase
  let custodySteps = 0; // tells apart the State Corporation's reports
  let resultDeliveredAt = 0;
  setHandler(
    fileComplaintUpdate,
    async (request) => {
      const filing: (typeof filings)[number] = { request };
      filings.push(filing);
      await condition(() => filing.answer !== undefined);
      return filing.answer!;
    },
    {
      validator: (request) => {
        const parsed = parseInput(ComplaintSchema.required({ submittedAt: true }), request);
        if (!parsed.ok) throw new Error(parsed.error.message);
        if (!lifecycle.can({ type: 'COMPLAINT_FILED' }) || administrativeStageOver) throw new Error(complaintRefusal());
        const at = Date.parse(request.submittedAt);
        if (at < resultDeliveredAt - CLOCK_SKEW_MS) {
          throw new Error(`submittedAt: a complaint cannot precede the result it contests, delivered ${formatInstant(new Date(resultDeliveredAt))} (R13)`);
        }
        if (at > Date.now() + CLOCK_SKEW_MS) throw new Error('submittedAt: must not be in the future');
        const periodEnd = Date.parse(status.complaintPeriodEndsAt!);
        if (at > periodEnd || Date.now() > periodEnd) {
          throw new Error(`the period for complaints against this result ended at ${formatInstant(new Date(periodEnd))} (R13; Administrative Procedural Code art. 91)`);
        }
        const open = status.complaints.find((c) => c.addressee === request.addressee && c.outcome === null && !c.endedWithoutDecision);
        if (open) {
          throw new Error(`a complaint to the ${request.addressee} (${open.complaintId}) is already under review, due ${formatInstant(new Date(open.dueAt))}; file again after its decision (R13)`);
        }
      },
    },
  );
  /** Why a complaint cannot be filed now, in words for the applicant. */
  const complaintRefusal = (): string => {
    switch (status.state) {
      case 'withdrawn':
        return 'the application was withdrawn; there is no result to contest';
      case 'closed':
        return 'the administrative stage of this case is over; the result may now be contested in court (Administrative Procedural Code art. 91)';
      case 'accepted':
      case 'refused':
        return 'the result is being delivered to the personal cabinet; a complaint can be filed once it is there (R13)';
      case 'notified':
        return 'the administrative stage of this case is ending; the result may now be contested in court (Administrative Procedural Code art. 91)';
      default:
        return `the application is still ${status.state}; a complaint can be filed once its result is delivered (R13)`;
    }
  };

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
  let calendar = new WorkingCalendar(
    await store.loadCalendarOverrides.executeWithOptions({ summary: "read operators' calendar overrides (R7)" }, []),
  );
  const submittedAt = new Date(input.submittedAt);
  // Taken in person during the place's hours (checked above), an application is registered at once.
  const registrationMoment = rules.intake === 'around-the-clock' ? calendar.registrationMoment(submittedAt) : submittedAt;
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

  // R3: the term of the channel: one working day of registration (portal, Platform); 20 minutes at the office;
  // 3 or 7 working days through the State Corporation, the day of acceptance not counted.
  const decisionDueAt = serviceTermEnd(rules, registrationMoment, calendar, input.serviceLocality);
  const uncertainYears = calendar.uncertainYears(submittedAt, decisionDueAt);
  if (uncertainYears.length > 0) {
    await store.reportCalendarGap({ applicationId: input.applicationId, years: uncertainYears });
  }
  status.registeredAt = registrationMoment.toISOString();
  status.decisionDueAt = decisionDueAt.toISOString();
  fire({ type: 'REGISTERED' });
  upsertSearchAttributes([{ key: DecisionDueAtKey, value: decisionDueAt }]);
  count('registered', { channel: input.channel, category: input.category });

  // R9: an application with defects found by rule is refused at once, every defect listed; ground 1
  // (unreliable documents) is left to the provider. Checked while merely registered, so no provider decision
  // can cross the automatic one.
  const records = await store.lookUpStateRecords.executeWithOptions(
    { summary: 'look up education and employment records via the gateway (R8)' },
    [{ iin: input.iin }],
  );
  const defects = findDefects(checked.value, records, standard);
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
      official: AUTOMATIC_CHECK,
    });
  }
  await store.recordStage({
    applicationId: input.applicationId,
    state: 'under-review', // the stage reached, even when the automatic check decided within it
    registeredAt: status.registeredAt,
    decisionDueAt: status.decisionDueAt,
  });

  if (rules.delivery === 'state-corporation') {
    // R5: the State Corporation gives a receipt for the package (the applicant collects the result against it)
    // and hands the package to the provider. After the stage is recorded, so the receipt carries the term.
    await store.issueNotice.executeWithOptions({ summary: "issue the State Corporation's receipt for the package (R5)" }, [
      { applicationId: input.applicationId, kind: 'intake-receipt' },
    ]);
    await recordCustody('package-handed-over');
  }

  const outcome = await decideAndNotify(decisionDueAt, overdueOnArrival);
  if (outcome === 'withdrawn') return status;
  if (!patched(COMPLAINT_STAGE_PATCH)) {
    fire({ type: 'CASE_CLOSED' });
    await store.recordStage({ applicationId: input.applicationId, state: status.state });
    setCurrentDetails(`Closed: ${decision!.decision === 'accept' ? 'documents accepted' : 'motivated refusal'}, notice delivered to the personal cabinet`);
    return status;
  }

  // R13: the result may be contested; an upheld complaint against it sends the case back to review.
  while ((await complaintStage()) === 'reopened') {
    if ((await decideAndNotify(await reopenReview(), false)) === 'withdrawn') return status;
  }
  await closeAdministrativeStage();
  return status;

  /**
   * R3, R5: waits for the provider's decision until the term (flagged and escalated when late: the decision is
   * still owed), then records it and delivers the signed notice to the personal cabinet.
   */
  async function decideAndNotify(decisionDueAt: Date, overdueOnArrival: boolean): Promise<'withdrawn' | 'notified'> {
    const due = formatInstant(decisionDueAt);
    setCurrentDetails(`Waiting for the provider's decision until ${due} (R3: ${termInWords(rules, input.serviceLocality)})`);
    const inTime =
      !overdueOnArrival &&
      (decision !== undefined ||
        (await condition(() => decision !== undefined || withdrawalRequested, decisionDueAt.getTime() - Date.now(), {
          summary: `the provider's decision is due by ${due}`,
        })));
    if (await withdrawnHere()) return 'withdrawn';
    if (!inTime) {
      // Overdue is a flag with an escalation, not a dead end: the decision is still owed. A late decision is
      // escalated too: the supervising unit learns of every breach of the term.
      if (!status.overdue) fire({ type: 'DECISION_DEADLINE_PASSED' });
      log.warn('decision overdue', { applicationId: input.applicationId, decisionDueAt: status.decisionDueAt });
      count('decisionOverdue', { provider_unit: input.providerUnit });
      await store.recordStage({ applicationId: input.applicationId, state: status.state, overdue: true, ...roundStage() });
      if (decision === undefined) {
        setCurrentDetails(`OVERDUE: the provider's decision was due by ${due} and is still owed (R3)`);
        await condition(() => decision !== undefined || withdrawalRequested);
        if (await withdrawnHere()) return 'withdrawn';
      }
    }

    const made = decision!;
    count('decided', { decision: made.decision, in_time: inTime, automatic: made.official === AUTOMATIC_CHECK });
    await store.recordDecision({
      applicationId: input.applicationId,
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
    const result = { applicationId: input.applicationId, kind, ...(status.round > 1 && { round: status.round }) };
    if (rules.delivery === 'state-corporation') {
      await store.issueNotice.executeWithOptions({ summary: `sign the ${kind} and send it to the State Corporation (R5)` }, [result]);
      count('noticeIssued', { kind });
      status.notifiedAt = await collectedAtStateCorporation();
    } else {
      const where = rules.delivery === 'at-the-office' ? 'hand it over at the office' : 'deliver it to the personal cabinet';
      const notice = await store.issueNotice.executeWithOptions({ summary: `sign the ${kind} notice and ${where} (R5)` }, [result]);
      status.notifiedAt = notice.createdAt;
      count('noticeIssued', { kind });
    }
    // The period runs from the delivery, in workflow time: the moment this workflow learned it was done.
    resultDeliveredAt = Date.now();
    status.complaintPeriodEndsAt = filingPeriodEnd(calendar, new Date(resultDeliveredAt)).toISOString();
    if (rules.delivery !== 'state-corporation') fire({ type: 'NOTICE_ISSUED' });
    await store.recordStage({
      applicationId: input.applicationId,
      state: status.state,
      complaintPeriodEndsAt: status.complaintPeriodEndsAt,
      ...roundStage(),
    });
    return 'notified';
  }

  /**
   * R5, R14: the result waits at the State Corporation for a month; uncollected, it goes back to the provider,
   * who sends it again within a working day when the applicant asks. Answers when it was issued to the applicant.
   */
  async function collectedAtStateCorporation(): Promise<string> {
    const custody = status.custody!;
    const kept = standard.uncollectedResults!;
    // A new round's result (after an upheld complaint) starts its own way; the last round's is in the history.
    Object.assign(custody, custodyBeforeResult(custody.place));
    let newResult = true;
    for (;;) {
      fire({ type: 'RESULT_SENT_TO_STATE_CORPORATION' });
      custody.atStateCorporationAt = new Date().toISOString();
      const storedUntil = storageEnd(kept, new Date());
      custody.storageEndsAt = storedUntil.toISOString();
      await recordCustody('result-at-state-corporation', { dueAt: custody.storageEndsAt, newResult });
      newResult = false;
      const until = formatInstant(storedUntil);
      setCurrentDetails(`The result is at the State Corporation, to be ${custody.place === 'home' ? 'brought to the applicant at home (R11)' : 'collected'} by ${until}; then returned to the provider (R14)`);
      if (await condition(() => custodyEvents.length > 0, storedUntil.getTime() - Date.now(), { summary: `kept at the State Corporation until ${until} (R14)` })) {
        const issued = takeCustodyEvent('issued');
        custody.issuedAt = new Date().toISOString();
        custody.issuedTo = issued.to;
        fire({ type: 'RESULT_COLLECTED' });
        await recordCustody('result-issued', { issuedTo: issued.to });
        custodyApplied++;
        return custody.issuedAt;
      }

      fire({ type: 'STORAGE_PERIOD_ENDED' });
      custody.returnedToProviderAt = new Date().toISOString();
      await recordCustody('returned-to-provider');
      setCurrentDetails('Not collected within a month: returned to the provider; served within a working day if the applicant asks (R14)');
      await condition(() => custodyEvents.length > 0);
      takeCustodyEvent('requested');
      const requestedAt = new Date();
      custody.requestedAt = requestedAt.toISOString();
      const dueAt = calendar.deadline(calendar.registrationMoment(requestedAt), kept.laterRequestWorkingDays);
      custody.resendDueAt = dueAt.toISOString();
      fire({ type: 'RESULT_REQUESTED' });
      await recordCustody('result-requested', { dueAt: custody.resendDueAt });
      custodyApplied++;
      const due = formatInstant(dueAt);
      setCurrentDetails(`Asked for again: the provider sends the result to the State Corporation by ${due} (R14)`);
      const inTime = await condition(() => custodyEvents.length > 0, dueAt.getTime() - Date.now(), { summary: `the provider sends the result back by ${due} (R14)` });
      if (!inTime) {
        // Late is a flag with an escalation, as for the decision: the result is still owed.
        fire({ type: 'RESEND_DEADLINE_PASSED' });
        await recordCustody('resend-overdue', { dueAt: custody.resendDueAt });
        setCurrentDetails(`OVERDUE: the provider was to send the result to the State Corporation by ${due} (R14)`);
        await condition(() => custodyEvents.length > 0);
      }
      takeCustodyEvent('sent-again');
      custodyApplied++;
    }
  }

  /** The next custody event, which the update's validator has already matched to the state. */
  function takeCustodyEvent<K extends CustodyEvent['event']>(kind: K): Extract<CustodyEvent, { event: K }> {
    const event = custodyEvents.shift()!;
    if (event.event !== kind) throw new Error(`expected ${kind}, got ${event.event}`); // the validator forbids it
    return event as Extract<CustodyEvent, { event: K }>;
  }

  /** A step of the result's way through the State Corporation, reported to monitoring and to whom it concerns (R12, R14). */
  async function recordCustody(event: CustodyStep, details: { dueAt?: string; issuedTo?: string; newResult?: boolean } = {}): Promise<void> {
    await store.recordCustody({ applicationId: input.applicationId, state: status.state, event, occurrence: `k${++custodySteps}`, ...details });
  }

  /** Stage reports of a later round are told apart from the first round's (see StageRecord.occurrence). */
  function roundStage() {
    return status.round > 1 ? { round: status.round, occurrence: `r${status.round}` } : {};
  }

  /**
   * R13: takes complaints until the administrative stage is over — the filing period has run out, or the
   * quality-control authority (the last administrative instance) has decided — with none still under review;
   * or until an upheld complaint reopens the review.
   */
  async function complaintStage(): Promise<'reopened' | 'over'> {
    let lastInstanceDecided = false;
    for (;;) {
      const filing = filings.shift();
      if (filing) {
        filing.answer = await registerComplaint(filing.request);
        continue;
      }
      const conclusion = concluded.shift();
      if (conclusion) {
        const reopens = conclusion.outcome === 'upheld' && conclusion.contestedRound === status.round;
        if (reopens) return 'reopened'; // reopenReview takes the case back to review, its new term with it
        // A complaint ended by hand without a decision settles nothing: only a decision is the last instance's word.
        if (conclusion.addressee === 'quality-authority' && conclusion.outcome !== null) lastInstanceDecided = true;
        fire({ type: 'COMPLAINT_CONCLUDED', reopens });
        await store.recordStage({ applicationId: input.applicationId, state: status.state, occurrence: `c${++complaintEvents}` });
        continue;
      }
      const periodEnd = Date.parse(status.complaintPeriodEndsAt!);
      if (status.state === 'notified' && (lastInstanceDecided || Date.now() >= periodEnd)) return 'over';
      const waiting = () => filings.length > 0 || concluded.length > 0;
      if (Date.now() >= periodEnd) {
        setCurrentDetails(`Complaint period over; waiting for ${status.complaints.filter((c) => c.outcome === null).length} complaint(s) under review (R13)`);
        await condition(waiting);
      } else {
        const until = formatInstant(new Date(periodEnd));
        setCurrentDetails(
          status.state === 'contested'
            ? `Contested: complaint(s) under review; complaints may be filed until ${until} (R13)`
            : `Result delivered; complaints may be filed until ${until} (R13)`,
        );
        await condition(waiting, periodEnd - Date.now(), { summary: `complaints may be filed until ${until} (R13)` });
      }
    }
  }

  /** R7, R13: registers a complaint at the next working moment and starts its review with its own clock. */
  async function registerComplaint(request: ComplaintFiling & { submittedAt: string }): Promise<FiledComplaint> {
    const today = new WorkingCalendar(
      await store.loadCalendarOverrides.executeWithOptions({ summary: "read operators' calendar overrides (R7, R13)" }, []),
    );
    const submitted = new Date(request.submittedAt);
    const { registeredAt, dueAt } = complaintTerms(today, request.addressee, submitted);
    const gaps = today.uncertainYears(submitted, dueAt);
    if (gaps.length > 0) await store.reportCalendarGap({ applicationId: input.applicationId, years: gaps });
    const complaintId = uuid4();
    const complaint: ComplaintInput = {
      complaintId,
      applicationId: input.applicationId,
      addressee: request.addressee,
      text: request.text,
      grounds: request.grounds ?? [],
      attachments: request.attachments ?? [],
      submittedAt: request.submittedAt,
      registeredAt: registeredAt.toISOString(),
      dueAt: dueAt.toISOString(),
      contestedRound: status.round,
    };
    const workflowId = complaintWorkflowIdFor(complaintId);
    const child = await startChild(complaintWorkflow, {
      workflowId,
      args: [complaint],
      // The complaint is owed a review by law even if this case's workflow is stopped by an operator.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: ComplaintStateKey, value: 'received' },
        { key: ComplaintAddresseeKey, value: request.addressee },
        { key: ProviderUnitKey, value: input.providerUnit },
        { key: DecisionDueAtKey, value: dueAt },
      ],
      staticSummary: `Complaint to the ${request.addressee} on application ${input.applicationId}`,
      staticDetails: `Registered ${formatInstant(registeredAt)}; decision due by ${formatInstant(dueAt)} (${REVIEW_TERM_WORKING_DAYS[request.addressee]} working days, R13)`,
    });
    const summary: ComplaintSummary = {
      complaintId,
      addressee: request.addressee,
      submittedAt: request.submittedAt,
      registeredAt: complaint.registeredAt,
      dueAt: complaint.dueAt,
      contestedRound: status.round,
      outcome: null,
      decidedAt: null,
    };
    status.complaints.push(summary);
    void child.result().then(
      (result) => {
        summary.outcome = result.outcome;
        summary.decidedAt = result.decidedAt;
        concluded.push(result);
      },
      (error: Error) => {
        // Terminated or failed by hand: the case stops waiting for it; support sees it marked.
        log.warn('complaint workflow ended without a decision', { complaintId, error: error.message });
        summary.endedWithoutDecision = true;
        concluded.push({ ...complaint, state: 'received', overdue: false, outcome: null, motivation: null, official: null, decidedAt: null, notifiedAt: null });
      },
    );
    fire({ type: 'COMPLAINT_FILED' });
    count('complaintFiled', { addressee: request.addressee });
    await store.recordStage({ applicationId: input.applicationId, state: status.state, occurrence: `c${++complaintEvents}` });
    return { complaintId, workflowId, addressee: request.addressee, registeredAt: complaint.registeredAt, dueAt: complaint.dueAt };
  }

  /** R13: an upheld complaint supersedes the result; the provider decides again within one working day. */
  async function reopenReview(): Promise<Date> {
    calendar = new WorkingCalendar(
      await store.loadCalendarOverrides.executeWithOptions({ summary: "read operators' calendar overrides (R3)" }, []),
    );
    const reopenedAt = calendar.registrationMoment(new Date());
    const decisionDueAt = serviceTermEnd(rules, reopenedAt, calendar, input.serviceLocality);
    status.supersededResults.push({
      round: status.round,
      decision: status.decision!,
      decidedAt: status.decidedAt!,
      notifiedAt: status.notifiedAt,
      supersededAt: new Date().toISOString(),
    });
    status.round += 1;
    decision = undefined;
    Object.assign(status, { decision: null, refusalGrounds: null, decidedAt: null, notifiedAt: null, complaintPeriodEndsAt: null });
    status.decisionDueAt = decisionDueAt.toISOString();
    fire({ type: 'COMPLAINT_CONCLUDED', reopens: true });
    upsertSearchAttributes([{ key: DecisionDueAtKey, value: decisionDueAt }]);
    await store.recordStage({
      applicationId: input.applicationId,
      state: status.state,
      decisionDueAt: status.decisionDueAt,
      overdue: false,
      ...roundStage(),
    });
    return decisionDueAt;
  }

  /** R13: the administrative stage is over; where complaints were heard, the cabinet gets a record of it. */
  async function closeAdministrativeStage(): Promise<void> {
    administrativeStageOver = true;
    fire({ type: 'CASE_CLOSED' });
    const heard = status.complaints.length > 0;
    count('closed', { complaints_heard: heard });
    if (heard) status.preTrialCompletedAt = new Date().toISOString();
    await store.recordStage({
      applicationId: input.applicationId,
      state: status.state,
      ...(heard && { preTrialCompletedAt: status.preTrialCompletedAt! }),
    });
    if (heard) {
      await store.issueNotice.executeWithOptions(
        { summary: 'record in the personal cabinet that the pre-trial stage has ended (R13)' },
        [{ applicationId: input.applicationId, kind: 'pre-trial-record' }],
      );
      count('noticeIssued', { kind: 'pre-trial-record' });
    }
    setCurrentDetails(
      heard
        ? `Closed: the administrative stage is over (${status.complaints.length} complaint(s) heard); the cabinet holds the pre-trial record`
        : `Closed: ${status.decision === 'accept' ? 'documents accepted' : 'motivated refusal'}; no complaint was filed in the period (R13)`,
    );
  }
}
