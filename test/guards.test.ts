/**
 * The update guards (domain/guards.ts), without Temporal: each answers a typed refusal — code, field, rule — or
 * null, from the case as it stands and the request. The workflows' validators raise exactly what they answer.
 */
import { receivedStatus, type ApplicationStatus, type ComplaintStatus } from '../domain/case-status';
import { advanceComplaint, filedLate, startComplaint } from '../domain/complaint';
import { custodyBeforeResult } from '../domain/custody';
import {
  closedCaseComplaintRefusal,
  complaintDecisionRefusal,
  complaintForwardRefusal,
  complaintFilingRefusal,
  contestableSubjects,
  subjectOf,
  custodyStepRefusal,
  decisionRefusal,
  withdrawalRefusal,
  type ApplicationCaseView,
} from '../domain/guards';
import { advance, startLifecycle, type LifecycleEvent } from '../domain/lifecycle';
import { STANDARDS } from '../domain/standards';

const NOW = Date.parse('2026-12-03T10:00:00+05:00');

function caseAfter(
  events: LifecycleEvent[],
  overrides: Partial<ApplicationCaseView> = {},
  status: Partial<ApplicationStatus> = {},
): ApplicationCaseView {
  let lifecycle = startLifecycle();
  for (const e of events) lifecycle = advance(lifecycle, e);
  return {
    status: {
      ...receivedStatus({
        applicationId: '00000000-0000-8000-8000-000000000001',
        standard: 'standard-2',
        channel: 'portal',
        submittedAt: '2026-12-02T10:00:00+05:00',
        custody: null,
      }),
      state: lifecycle.value as ApplicationStatus['state'],
      overdue: lifecycle.context.overdue,
      ...status,
    },
    lifecycle,
    standard: STANDARDS['standard-2'],
    decided: false,
    withdrawalRequested: false,
    custodyStepPending: false,
    resultDeliveredAt: 0,
    administrativeStageOver: false,
    now: NOW,
    ...overrides,
  };
}

const underReview: LifecycleEvent[] = [{ type: 'REGISTERED' }, { type: 'REVIEW_STARTED' }];
const notified: LifecycleEvent[] = [...underReview, { type: 'DECISION_MADE', decision: 'accept' }, { type: 'NOTICE_ISSUED' }];
const accept = { decision: 'accept', official: 'A. Head' };

describe("the provider's decision (R3, R9)", () => {
  test('is taken under review', () => {
    expect(decisionRefusal(caseAfter(underReview), accept)).toBeNull();
  });

  test('is refused while the application waits for registration, naming the state (R3)', () => {
    expect(decisionRefusal(caseAfter([{ type: 'REGISTRATION_DEFERRED' }]), accept)).toEqual({
      code: 'decision-not-allowed',
      field: 'decision',
      rule: 'R3',
      message: 'a decision is taken only while the application is under review; it is waiting-for-registration',
    });
  });

  test('is refused while a withdrawal is being applied', () => {
    expect(decisionRefusal(caseAfter(underReview, { withdrawalRequested: true }), accept)?.message).toBe(
      'a decision is taken only while the application is under review; it is being withdrawn',
    );
  });

  test('on a ground the standard does not have is against the standard, not a matter of state (R9)', () => {
    const earlier = caseAfter(underReview, { standard: STANDARDS['standard-1'] });
    expect(decisionRefusal(earlier, { decision: 'refuse', grounds: [3], motivation: { kk: 'm (kk)', ru: 'm' }, official: 'A' })).toMatchObject({
      code: 'against-standard',
      field: 'grounds',
      rule: 'R9',
    });
  });

  test('without grounds is refused by the schema, naming the field and R9', () => {
    expect(decisionRefusal(caseAfter(underReview), { decision: 'refuse', motivation: { kk: 'm (kk)', ru: 'm' }, official: 'A' })).toMatchObject({
      code: 'against-standard',
      field: 'grounds',
      rule: 'R9',
    });
  });
});

describe("the applicant's withdrawal", () => {
  test('is taken before the decision', () => {
    expect(withdrawalRefusal(caseAfter(underReview), {})).toBeNull();
    expect(withdrawalRefusal(caseAfter([{ type: 'REGISTRATION_DEFERRED' }]), { reason: 'changed my mind' })).toBeNull();
  });

  test('is refused once the decision is taken, even before it is delivered', () => {
    const decided = caseAfter([...underReview, { type: 'DECISION_MADE', decision: 'refuse' }], { decided: true });
    expect(withdrawalRefusal(decided, {})).toEqual({
      code: 'withdrawal-not-allowed',
      field: 'id',
      rule: null,
      message: 'an application can be withdrawn only before the decision; it is refused',
    });
  });

  test('with an unknown field is refused by the schema', () => {
    expect(withdrawalRefusal(caseAfter(underReview), { why: 'x' })).toMatchObject({ code: 'unknown-field', field: 'why' });
  });
});

describe('a complaint filing (R13)', () => {
  const delivered = Date.parse('2026-12-03T09:00:00+05:00');
  const open = caseAfter(notified, { resultDeliveredAt: delivered }, { complaintPeriodEndsAt: '2027-03-03T23:59:59.999+05:00' });
  const filing = { addressee: 'provider', text: 'The refusal ignores my diploma.', submittedAt: '2026-12-03T09:30:00+05:00' } as const;

  test('is taken after the result is delivered, within the period', () => {
    expect(complaintFilingRefusal(open, filing)).toBeNull();
  });

  test('is refused while the application is under review, in words for the applicant', () => {
    expect(complaintFilingRefusal(caseAfter(underReview), filing)).toEqual({
      code: 'complaint-not-allowed',
      field: 'id',
      rule: 'R13',
      message:
        "the application is still under-review; a complaint against its result can be filed once the result is delivered, and one against the provider's inaction once the decision is overdue (R13)",
    });
  });

  test("against the provider's inaction is taken while the decision is overdue, and refused before, naming the subject", () => {
    const inaction = { ...filing, subject: 'inaction' };
    const overdue = caseAfter([...underReview, { type: 'DECISION_DEADLINE_PASSED' }]);
    expect(overdue.status.overdue).toBe(true);
    expect(complaintFilingRefusal(overdue, inaction)).toBeNull();
    expect(complaintFilingRefusal(caseAfter(underReview, {}, { decisionDueAt: '2026-12-03T18:30:00+05:00' }), inaction)).toMatchObject({
      code: 'complaint-not-allowed',
      field: 'subject',
      message: expect.stringMatching(/overdue; the application is under-review; it is due by 2026-12-03T18:30:00\+05:00/),
    });
    // once the provider has decided, it is the lateness that may be contested, after the result
    expect(complaintFilingRefusal(caseAfter([...underReview, { type: 'DECISION_DEADLINE_PASSED' }], { decided: true }), inaction)).toMatchObject({
      field: 'subject',
    });
  });

  test('against the lateness of a decision is taken only when the decision was late', () => {
    const lateness = { ...filing, subject: 'lateness' };
    expect(complaintFilingRefusal(open, lateness)).toMatchObject({ field: 'subject', message: expect.stringMatching(/within its term/) });
    const lateDecision = caseAfter(
      [...underReview, { type: 'DECISION_DEADLINE_PASSED' }, { type: 'DECISION_MADE', decision: 'accept' }, { type: 'NOTICE_ISSUED' }],
      { resultDeliveredAt: delivered },
      { complaintPeriodEndsAt: '2027-03-03T23:59:59.999+05:00' },
    );
    expect(complaintFilingRefusal(lateDecision, lateness)).toBeNull();
  });

  test("without a subject, an overdue case with no result takes it as one against the provider's inaction: nothing else can be contested (R13)", () => {
    const overdue = caseAfter([...underReview, { type: 'DECISION_DEADLINE_PASSED' }]);
    expect(contestableSubjects(overdue)).toEqual(['inaction']);
    expect(complaintFilingRefusal(overdue, filing)).toBeNull();
    expect(subjectOf(undefined, contestableSubjects(overdue))).toBe('inaction');
  });

  test('without a subject, a result decided in time is contested; after a late decision the refusal names the two choices (R13)', () => {
    expect(contestableSubjects(open)).toEqual(['result']);
    expect(subjectOf(undefined, contestableSubjects(open))).toBe('result');
    const lateDecision = caseAfter(
      [...underReview, { type: 'DECISION_DEADLINE_PASSED' }, { type: 'DECISION_MADE', decision: 'accept' }, { type: 'NOTICE_ISSUED' }],
      { resultDeliveredAt: delivered },
      { complaintPeriodEndsAt: '2027-03-03T23:59:59.999+05:00' },
    );
    expect(complaintFilingRefusal(lateDecision, filing)).toEqual({
      code: 'missing-field',
      field: 'subject',
      rule: 'R13',
      message:
        'subject: this case allows a complaint against the result or against the lateness of the decision; say which (subject: result | lateness)',
    });
    expect(complaintFilingRefusal(lateDecision, { ...filing, subject: 'result' })).toBeNull();
  });

  test('dated before the result it contests is refused, naming submittedAt', () => {
    expect(complaintFilingRefusal(open, { ...filing, submittedAt: '2026-12-02T09:00:00+05:00' })).toMatchObject({
      code: 'complaint-not-allowed',
      field: 'submittedAt',
      rule: 'R13',
    });
  });

  test('dated more than five minutes ahead of the case clock is refused', () => {
    expect(complaintFilingRefusal(open, { ...filing, submittedAt: '2026-12-03T10:06:00+05:00' })?.message).toBe(
      'submittedAt: must not be in the future',
    );
    expect(complaintFilingRefusal(open, { ...filing, submittedAt: '2026-12-03T10:04:00+05:00' })).toBeNull();
  });

  test('with a control character in its reasons for restoring the period is refused, naming the field (R13)', () => {
    for (const restorationReason of ['ill\u0000ness', 'ill\u001bness', 'ill\ud800ness']) {
      expect(complaintFilingRefusal(open, { ...filing, restorationReason })).toMatchObject({ code: 'invalid-field', field: 'restorationReason' });
    }
    expect(complaintFilingRefusal(open, { ...filing, restorationReason: 'I was ill.\nThe certificate is attached.' })).toBeNull();
  });

  test('after the period is not refused for its lateness (APPK art. 92 §3): it is taken, and marked late', () => {
    const late = { ...open, now: Date.parse('2027-03-04T10:00:00+05:00') };
    expect(complaintFilingRefusal(late, { ...filing, submittedAt: '2027-03-04T10:00:00+05:00', restorationReason: 'I was in hospital' })).toBeNull();
    expect(filedLate(open.status.complaintPeriodEndsAt, Date.parse('2027-03-04T10:00:00+05:00'))).toBe(true);
    expect(filedLate(open.status.complaintPeriodEndsAt, Date.parse('2027-03-04T00:00:00+05:00'))).toBe(true);
  });

  test('filed on the last day of the period is in time, whenever the case takes it (filed is filed, APPK art. 92 §1)', () => {
    expect(filedLate(open.status.complaintPeriodEndsAt, Date.parse('2027-03-03T23:59:00+05:00'))).toBe(false);
    expect(filedLate(open.status.complaintPeriodEndsAt, Date.parse('2027-03-03T23:00:00+05:00'))).toBe(false);
  });

  test('a second complaint to a body already reviewing one is registered all the same, never refused for being second (R7, R13)', () => {
    const complaints = [
      {
        complaintId: 'c-1',
        addressee: 'provider' as const,
        submittedAt: '',
        registeredAt: '',
        dueAt: '2026-12-10T18:30:00+05:00',
        contestedRound: 1,
        outcome: null,
        decidedAt: null,
      },
    ];
    const reviewing = { ...open, status: { ...open.status, complaints } };
    expect(complaintFilingRefusal(reviewing, filing)).toBeNull();
    expect(complaintFilingRefusal(reviewing, { ...filing, addressee: 'quality-authority' })).toBeNull();
  });
});

describe("a step of the result's custody (R5, R11, R14)", () => {
  const atStateCorporation = [
    ...underReview,
    { type: 'DECISION_MADE', decision: 'accept' } as const,
    { type: 'RESULT_SENT_TO_STATE_CORPORATION' } as const,
  ];
  const custodyCase = (place: 'home' | 'state-corporation') =>
    caseAfter(atStateCorporation, { standard: STANDARDS['standard-1'] }, { channel: 'state-corporation', custody: custodyBeforeResult(place) });
  const issue = { event: 'issued', to: 'applicant', place: 'state-corporation', official: 'B. Operator' };

  test('issues a result waiting at the State Corporation', () => {
    expect(custodyStepRefusal(custodyCase('state-corporation'), issue)).toBeNull();
  });

  test('is refused for a case whose result goes to the cabinet (R5)', () => {
    expect(custodyStepRefusal(caseAfter(notified), issue)).toMatchObject({ code: 'custody-step-not-allowed', field: 'id', rule: 'R5' });
  });

  test('out of its turn is refused with the order (R14)', () => {
    expect(custodyStepRefusal(custodyCase('state-corporation'), { event: 'sent-again', official: 'C' })).toMatchObject({
      code: 'custody-step-not-allowed',
      rule: 'R14',
      message: expect.stringContaining('sent-again after a request'),
    });
  });

  test('while another step is being recorded is refused', () => {
    expect(custodyStepRefusal({ ...custodyCase('state-corporation'), custodyStepPending: true }, issue)).toMatchObject({
      code: 'custody-step-not-allowed',
    });
  });

  test('at the counter for a home visit is against the standard (R11)', () => {
    expect(custodyStepRefusal(custodyCase('home'), issue)).toMatchObject({ code: 'against-standard', field: 'place', rule: 'R11' });
    expect(custodyStepRefusal(custodyCase('home'), { ...issue, place: 'home' })).toBeNull();
  });

  test('to a representative without a power of attorney is against the standard (R5)', () => {
    expect(custodyStepRefusal(custodyCase('state-corporation'), { ...issue, to: 'representative' })).toMatchObject({
      code: 'against-standard',
      field: 'powerOfAttorney',
      rule: 'R5',
    });
  });
});

describe('a complaint against a case whose workflow has ended (R13, APPK art. 92)', () => {
  const closed = { state: 'closed', decisionWasLate: false, lastInstanceDecided: false, now: NOW };
  const filing = { addressee: 'provider', text: 'I learned of the refusal only now.', submittedAt: '2026-12-03T09:30:00+05:00' };

  test('closed by its period, it is taken (as a late one)', () => {
    expect(closedCaseComplaintRefusal(closed, filing)).toBeNull();
  });

  test('past its retention (issue 36), it is refused: nothing is left to reopen the review from', () => {
    expect(closedCaseComplaintRefusal({ ...closed, anonymised: true }, filing)).toMatchObject({
      code: 'complaint-not-allowed',
      field: 'id',
      message: expect.stringMatching(/past its retention period/),
    });
  });

  test('closed by the last instance, or withdrawn, it is refused with the way on', () => {
    expect(closedCaseComplaintRefusal({ ...closed, lastInstanceDecided: true }, filing)).toMatchObject({
      code: 'complaint-not-allowed',
      field: 'id',
      message: expect.stringMatching(/contested in court \(Administrative Procedural Code art. 91 §5\)$/),
    });
    expect(closedCaseComplaintRefusal({ ...closed, state: 'withdrawn' }, filing)).toMatchObject({ message: expect.stringMatching(/withdrawn/) });
  });

  test('no inaction to contest once decided; lateness only of a late decision', () => {
    expect(closedCaseComplaintRefusal(closed, { ...filing, subject: 'inaction' })).toMatchObject({ field: 'subject' });
    expect(closedCaseComplaintRefusal(closed, { ...filing, subject: 'lateness' })).toMatchObject({ field: 'subject' });
    expect(closedCaseComplaintRefusal({ ...closed, decisionWasLate: true }, { ...filing, subject: 'lateness' })).toBeNull();
  });

  test('without a subject: the result where the decision came in time; after a late one, the refusal names result and lateness (R13)', () => {
    expect(closedCaseComplaintRefusal(closed, filing)).toBeNull();
    expect(closedCaseComplaintRefusal({ ...closed, decisionWasLate: true }, filing)).toMatchObject({
      code: 'missing-field',
      field: 'subject',
      message: expect.stringContaining('(subject: result | lateness)'),
    });
  });
});

describe("a complaint's decision (R13)", () => {
  const status = { state: 'under-review' } as ComplaintStatus;
  const decision = {
    outcome: 'rejected',
    motivation: { kk: 'The diploma was considered. (kk)', ru: 'The diploma was considered.' },
    official: 'D. Reviewer',
  };

  test('is taken under review', () => {
    const lifecycle = advanceComplaint(startComplaint(), { type: 'REGISTERED' });
    expect(complaintDecisionRefusal({ status, lifecycle }, decision)).toBeNull();
  });

  test('is refused before registration, naming the state', () => {
    const lifecycle = advanceComplaint(startComplaint(), { type: 'REGISTRATION_DEFERRED' });
    expect(complaintDecisionRefusal({ status: { ...status, state: 'waiting-for-registration' }, lifecycle }, decision)).toEqual({
      code: 'complaint-decision-not-allowed',
      field: 'outcome',
      rule: 'R13',
      message: 'a complaint is decided only while it is under review; it is waiting-for-registration',
    });
  });

  test('without a motivation is refused by the schema', () => {
    const lifecycle = advanceComplaint(startComplaint(), { type: 'REGISTERED' });
    expect(complaintDecisionRefusal({ status, lifecycle }, { ...decision, motivation: { kk: '  (kk)', ru: ' ' } })).toMatchObject({
      code: 'invalid-field',
      field: 'motivation.ru',
    });
  });

  test('of a late complaint says whether the period is restored (APPK art. 92 §2); not restored, it is considered and rejected (§3)', () => {
    const lifecycle = advanceComplaint(startComplaint(), { type: 'REGISTERED' });
    const late = { status: { ...status, late: true }, lifecycle };
    expect(complaintDecisionRefusal(late, decision)).toMatchObject({ code: 'against-standard', field: 'periodRestored', rule: 'R13' });
    expect(complaintDecisionRefusal(late, { ...decision, periodRestored: false })).toBeNull();
    expect(complaintDecisionRefusal(late, { ...decision, outcome: 'upheld', periodRestored: false })).toMatchObject({
      field: 'outcome',
      message: expect.stringContaining('APPK art. 92 §3'),
    });
    expect(complaintDecisionRefusal(late, { ...decision, outcome: 'partly-upheld', periodRestored: false })).toMatchObject({ field: 'outcome' });
    expect(complaintDecisionRefusal(late, { ...decision, outcome: 'upheld', periodRestored: true })).toBeNull();
    expect(complaintDecisionRefusal(late, { ...decision, outcome: 'rejected', periodRestored: true })).toBeNull();
  });

  test('while with the provider: only its full satisfaction; the body above waits for the forwarding (APPK art. 91 §4)', () => {
    const lifecycle = advanceComplaint(startComplaint(), { type: 'REGISTERED_THROUGH_PROVIDER' });
    const withProvider = { status: { ...status, state: 'with-provider', providerDueAt: '2026-12-09T13:30:00.000Z' } as ComplaintStatus, lifecycle };
    expect(complaintDecisionRefusal(withProvider, { ...decision, outcome: 'upheld' }, 'provider')).toBeNull();
    expect(complaintDecisionRefusal(withProvider, { ...decision, outcome: 'upheld' }, null)).toBeNull();
    expect(complaintDecisionRefusal(withProvider, decision, null)).toMatchObject({
      code: 'complaint-decision-not-allowed',
      message: expect.stringContaining('with the provider until 2026-12-09T18:30:00+05:00'),
    });
    expect(complaintDecisionRefusal(withProvider, { ...decision, outcome: 'upheld' }, 'reviewing-body')).toMatchObject({
      code: 'complaint-decision-not-allowed',
      message: expect.stringContaining('the body above decides it once it is forwarded'),
    });
    expect(complaintForwardRefusal(withProvider, { official: 'Head of the school' })).toBeNull();
    expect(complaintForwardRefusal(withProvider, {})).toMatchObject({ code: 'missing-field', field: 'official' });
  });

  test('once forwarded: the body above decides it, the provider no longer', () => {
    const lifecycle = advanceComplaint(advanceComplaint(startComplaint(), { type: 'REGISTERED_THROUGH_PROVIDER' }), { type: 'FORWARDED' });
    const forwarded = { status: { ...status, forwardedAt: '2026-12-09T13:30:00.000Z' } as ComplaintStatus, lifecycle };
    expect(complaintDecisionRefusal(forwarded, decision, 'reviewing-body')).toBeNull();
    expect(complaintDecisionRefusal(forwarded, { ...decision, outcome: 'upheld' }, 'provider')).toMatchObject({
      code: 'complaint-decision-not-allowed',
      message: expect.stringContaining('forwarded to the body above the provider'),
    });
    expect(complaintForwardRefusal(forwarded, { official: 'Head' })).toMatchObject({ message: expect.stringContaining('was forwarded') });
  });

  test('never leaves a complaint without consideration for its lateness alone (APPK art. 92 §3)', () => {
    const lifecycle = advanceComplaint(startComplaint(), { type: 'REGISTERED' });
    for (const late of [true, false]) {
      expect(
        complaintDecisionRefusal(
          { status: { ...status, late }, lifecycle },
          { ...decision, outcome: 'left-without-consideration', periodRestored: false },
        ),
      ).toMatchObject({ code: 'invalid-field', field: 'outcome', message: expect.stringContaining('APPK art. 92 §3') });
    }
  });

  test('of a complaint filed in time has no period to restore and is considered', () => {
    const lifecycle = advanceComplaint(startComplaint(), { type: 'REGISTERED' });
    const inTime = { status: { ...status, late: false }, lifecycle };
    expect(complaintDecisionRefusal(inTime, { ...decision, periodRestored: true })).toMatchObject({ field: 'periodRestored' });
  });
});
