/**
 * R1: who may do what to which case. A provider decides its own units' cases and the complaints addressed to
 * them; the quality-control authority the complaints addressed to it; the portal and the Platform submit on their
 * own channel and withdraw what they submitted; the State Corporation records its custody steps.
 */
import {
  complaintDeciderOf,
  mayDecideCase,
  mayDecideComplaint,
  mayFileComplaint,
  mayForwardComplaint,
  mayReadCase,
  mayReadInCabinet,
  mayRecordCustody,
  mayUseStaffViews,
  maySeeApplication,
  maySubmit,
  mayWithdraw,
  type CaseParties,
  type Caller,
} from '../domain/authority';
import { shippedProviderUnits } from '../infra/provider-units';

const units = shippedProviderUnits();
const almaty: Caller = { client: 'almaty-education', role: 'provider', units: ['almaty-city-education-department'] };
const astana: Caller = { client: 'astana-education', role: 'provider', units: ['astana-city-education-department'] };
const authority: Caller = { client: 'qa-almaty', role: 'quality-authority', units: ['quality-authority-almaty-city'] };
const portal: Caller = { client: 'portal', role: 'portal', units: [] };
const platform: Caller = { client: 'platform', role: 'platform', units: [] };
const stateCorporation: Caller = { client: 'gov4c', role: 'state-corporation', units: [] };
const administrator: Caller = { client: 'ops', role: 'administrator', units: [] };
const almatyCase = { providerUnit: 'almaty-city-education-department', submittedBy: 'portal' };

test("a provider decides its own unit's cases only (R1, R3)", () => {
  expect(mayDecideCase(almaty, almatyCase)).toBeNull();
  expect(mayDecideCase(astana, almatyCase)).toMatchObject({ code: 'not-entitled', field: 'Authorization', rule: 'R1' });
  expect(mayDecideCase(astana, almatyCase)?.message).toContain('not of almaty-city-education-department');
  expect(mayDecideCase(portal, almatyCase)?.code).toBe('not-entitled');
  expect(mayDecideCase(authority, almatyCase)?.code).toBe('not-entitled');
  expect(mayDecideCase(administrator, almatyCase)).toBeNull();
});

test('a complaint is decided by a key of the body reviewing it: the body above the provider, or the authority (R13)', () => {
  const districtCase = 'almaty-bostandyk-district-education-department';
  const toProvider = units.reviewingBody(districtCase, 'provider');
  const toAuthority = units.reviewingBody(almatyCase.providerUnit, 'quality-authority');
  expect(toProvider.id).toBe('almaty-city-education-department');
  expect(mayDecideComplaint(almaty, toProvider)).toBeNull();
  expect(mayDecideComplaint(astana, toProvider)?.code).toBe('not-entitled');
  // a provider can never decide a complaint against itself addressed to the authority
  expect(mayDecideComplaint(almaty, toAuthority)?.message).toContain('addressed to quality-authority-almaty-city');
  expect(mayDecideComplaint(authority, toAuthority)).toBeNull();
  expect(mayDecideComplaint(authority, toProvider)?.code).toBe('not-entitled');
  expect(mayDecideComplaint(authority, units.reviewingBody('astana-city-education-department', 'quality-authority'))?.code).toBe('not-entitled');
});

describe('a complaint filed through the provider (R13, APPK art. 91 §4)', () => {
  const district: Caller = { client: 'bostandyk', role: 'provider', units: ['almaty-bostandyk-district-education-department'] };
  const complaint = {
    reviewer: units.reviewingBody('almaty-bostandyk-district-education-department', 'provider'),
    providerUnit: 'almaty-bostandyk-district-education-department',
    throughProvider: true,
  };

  test('the provider may only satisfy it in full: rejecting or partly upholding it is 403, naming the body that decides', () => {
    expect(complaintDeciderOf(district, complaint, 'upheld')).toEqual({ as: 'provider' });
    for (const outcome of ['rejected', 'partly-upheld']) {
      expect(complaintDeciderOf(district, complaint, outcome)).toMatchObject({
        code: 'not-entitled',
        rule: 'R1',
        message: expect.stringMatching(/against its own act: it satisfies it in full \(upheld\) or forwards it to almaty-city-education-department/),
      });
    }
  });

  test('the body above decides it in any way; another provider not at all; the administrator in whichever capacity the stage needs', () => {
    for (const outcome of ['upheld', 'rejected', 'partly-upheld'])
      expect(complaintDeciderOf(almaty, complaint, outcome)).toEqual({ as: 'reviewing-body' });
    expect(complaintDeciderOf(astana, complaint, 'upheld')).toMatchObject({ code: 'not-entitled' });
    expect(complaintDeciderOf(administrator, complaint, 'rejected')).toEqual({ as: null });
  });

  test('a complaint from before the road went through the provider is decided by the provider that reviews it', () => {
    const before = {
      reviewer: units.get('almaty-bostandyk-district-education-department'),
      providerUnit: complaint.providerUnit,
      throughProvider: false,
    };
    expect(complaintDeciderOf(district, before, 'rejected')).toEqual({ as: 'reviewing-body' });
  });

  test('only the provider it was filed through forwards it', () => {
    expect(mayForwardComplaint(district, complaint)).toBeNull();
    expect(mayForwardComplaint(almaty, complaint)).toMatchObject({ code: 'not-entitled', message: expect.stringContaining('whose key forwards it') });
    expect(mayForwardComplaint(portal, complaint)?.code).toBe('not-entitled');
    expect(mayForwardComplaint(district, { ...complaint, throughProvider: false })?.code).toBe('not-entitled');
  });
});

test('the portal and the Platform submit on their own channel; a provider takes office applications for its units (R2)', () => {
  const on = (channel: string, providerUnit = 'almaty-city-education-department') => ({ channel, providerUnit });
  expect(maySubmit(portal, on('portal'))).toBeNull();
  expect(maySubmit(portal, on('platform'))?.message).toContain('submits on the portal channel only');
  expect(maySubmit(platform, on('platform'))).toBeNull();
  expect(maySubmit(stateCorporation, on('state-corporation'))).toBeNull();
  expect(maySubmit(almaty, on('office'))).toBeNull();
  expect(maySubmit(almaty, on('office', 'astana-city-education-department'))?.code).toBe('not-entitled');
  expect(maySubmit(authority, on('portal'))?.code).toBe('not-entitled');
});

test('only the submitter withdraws, and only the submitter is told which application holds the year (R10)', () => {
  expect(mayWithdraw(portal, almatyCase)).toBeNull();
  expect(mayWithdraw(platform, almatyCase)?.message).toContain('did not submit this application');
  expect(mayWithdraw(almaty, almatyCase)?.code).toBe('not-entitled');
  // no submitter recorded: refused to every submitting system (fails closed, issue 29), an administrator may
  expect(mayWithdraw(platform, { submittedBy: null })?.code).toBe('not-entitled');
  expect(mayWithdraw(portal, { submittedBy: null })?.code).toBe('not-entitled');
  expect(mayWithdraw(administrator, { submittedBy: null })).toBeNull();
  expect(maySeeApplication(portal, almatyCase)).toBe(true);
  expect(maySeeApplication(platform, almatyCase)).toBe(false);
  expect(maySeeApplication(platform, { submittedBy: null })).toBe(false);
});

test('complaints come through the submitting systems; the custody steps are the State Corporation’s (R5, R13, R14)', () => {
  expect(mayFileComplaint(portal, almatyCase)).toBeNull();
  expect(mayFileComplaint(almaty, almatyCase)?.code).toBe('not-entitled');
  // issue 32: only the system that submitted it, not any submitting key
  expect(mayFileComplaint(platform, almatyCase)?.message).toContain('did not submit this application and may not file a complaint on it');
  expect(mayFileComplaint(administrator, almatyCase)).toBeNull();
  expect(mayRecordCustody(stateCorporation, 'issued', almatyCase)).toBeNull();
  expect(mayRecordCustody(portal, 'issued', almatyCase)?.code).toBe('not-entitled');
  expect(mayRecordCustody(almaty, 'sent-again', almatyCase)).toBeNull();
  expect(mayRecordCustody(astana, 'sent-again', almatyCase)?.code).toBe('not-entitled');
  expect(mayRecordCustody(stateCorporation, 'sent-again', almatyCase)?.code).toBe('not-entitled');
});

describe("who reads what (issue 32, R1): the parties of a case and the service's staff, nobody else", () => {
  const support: Caller = { client: 'desk', role: 'support', units: [] };
  const operator: Caller = { client: 'ops-2', role: 'operator', units: [] };
  const medeu: Caller = { client: 'medeu', role: 'provider', units: ['almaty-medeu-district-education-department'] };
  const quiet: CaseParties = { ...almatyCase, reviewers: [] };
  const complained: CaseParties = { ...almatyCase, reviewers: ['quality-authority-almaty-city'] };

  test('a case: its unit, its submitter, a body reviewing its complaint, and staff', () => {
    const readers = (parties: CaseParties) =>
      [almaty, astana, medeu, authority, portal, platform, stateCorporation, support, operator, administrator]
        .filter((c) => mayReadCase(c, parties))
        .map((c) => c.client);
    expect(readers(quiet)).toEqual(['almaty-education', 'portal', 'desk', 'ops-2', 'ops']);
    expect(readers(complained)).toEqual(['almaty-education', 'qa-almaty', 'portal', 'desk', 'ops-2', 'ops']);
    // the State Corporation reads the cases it took into its custody
    expect(mayReadCase(stateCorporation, { ...quiet, submittedBy: 'gov4c' })).toBe(true);
    // a case with no recorded submitter is read by no submitting system
    expect(mayReadCase(portal, { ...quiet, submittedBy: null })).toBe(false);
  });

  test("a cabinet: the submitting system's own applications; the administrator all; nobody else", () => {
    const mine = { submittedBy: 'portal' };
    expect([portal, platform, almaty, authority, support, operator, administrator].map((c) => mayReadInCabinet(c, mine))).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    // a provider's office submits too, but a cabinet is read through the teacher's own systems
    expect(mayReadInCabinet({ ...almaty, client: 'portal' }, mine)).toBe(false);
  });

  test('the staff views: support staff, operators and the administrator; a provider or an upstream system is refused naming R1', () => {
    for (const staff of [support, operator, administrator]) expect(mayUseStaffViews(staff)).toBeNull();
    for (const outsider of [almaty, authority, portal, platform, stateCorporation])
      expect(mayUseStaffViews(outsider)).toMatchObject({ code: 'not-entitled', field: 'Authorization', rule: 'R1' });
  });
});
