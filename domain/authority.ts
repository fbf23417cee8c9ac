/**
 * Who may do what to which case (R1, R5, R13). A scope says what kind of request a key may make; its role and
 * units say on whose cases: a provider decides the cases of its own units and the complaints addressed to them,
 * the quality-control authority decides the complaints addressed to it, the portal and the Platform submit on
 * their own channel and withdraw only what they submitted, the State Corporation records only its custody steps.
 * One pure function per question, each answering a typed refusal (403) or null; the API asks them before it
 * touches a case.
 */
import type { CustodyEvent } from './custody';
import type { ProviderUnit } from './provider-units';
import type { Refusal } from './refusals';

export const ROLES = [
  'portal',
  'platform',
  'state-corporation',
  'provider',
  'quality-authority',
  // R11: the Unified Contact Centre (1414): a case's status by its number and the teacher's IIN, nothing more
  'contact-centre',
  'support',
  'operator',
  'administrator',
] as const;
export type Role = (typeof ROLES)[number];

/** The roles whose keys name the units they act for. */
export const UNIT_BOUND_ROLES: readonly Role[] = ['provider', 'quality-authority'];

/**
 * The service's own staff: support staff inspect stuck cases, operators steer workflows, the administrator is a
 * service-wide key (development, emergencies). They read every case (each read of personal data recorded); nobody
 * else reaches the support views, the console or the codec.
 */
export const STAFF_ROLES: readonly Role[] = ['support', 'operator', 'administrator'];

/**
 * A caller of the API as its key configures it. `administrator`: a service-wide key, bound to no unit; never one
 * to hand to a provider or an upstream system.
 */
export interface Caller {
  client: string;
  role: Role;
  /** the units a provider's or the authority's key acts for (ids of the registry) */
  units: readonly string[];
}

const notEntitled = (caller: Caller, message: string): Refusal => ({
  code: 'not-entitled',
  field: 'Authorization',
  rule: 'R1',
  message: `client ${caller.client} (${caller.role}) ${message}`,
});

/** R2: the channel each submitting role speaks for (a provider takes applications in its office, earlier standard). */
const CHANNEL_OF_ROLE: Partial<Record<Role, string>> = {
  portal: 'portal',
  platform: 'platform',
  'state-corporation': 'state-corporation',
  provider: 'office',
};

/** A submission: on the caller's own channel, and for a provider's office only to its own units. */
export function maySubmit(caller: Caller, submission: { channel: string; providerUnit: string }): Refusal | null {
  if (caller.role === 'administrator') return null;
  const channel = CHANNEL_OF_ROLE[caller.role];
  if (!channel) return notEntitled(caller, 'does not submit applications');
  if (submission.channel !== channel) return notEntitled(caller, `submits on the ${channel} channel only, not ${submission.channel}`);
  if (caller.role === 'provider' && !caller.units.includes(submission.providerUnit)) {
    return notEntitled(caller, `takes applications for its own units only, not ${submission.providerUnit}`);
  }
  return null;
}

/** Whether the caller submitted the application; where no submitter was recorded, only an administrator may act. */
function submittedIt(caller: Caller, submittedBy: string | null): boolean {
  if (caller.role === 'administrator') return true;
  return submittedBy !== null && submittedBy === caller.client;
}

/** A withdrawal: only by the system that submitted the application. */
export function mayWithdraw(caller: Caller, application: { submittedBy: string | null }): Refusal | null {
  return submittedIt(caller, application.submittedBy) ? null : notEntitled(caller, 'did not submit this application and may not withdraw it');
}

/** Whether a refusal may name another application of the teacher (R10): only to the one that submitted it. */
export function maySeeApplication(caller: Caller, application: { submittedBy: string | null }): boolean {
  return caller.role === 'administrator' || (application.submittedBy !== null && application.submittedBy === caller.client);
}

/**
 * A complaint is filed by the teacher through the system that submitted her application (R13), never by the body
 * it is against, nor by another system that holds no business with her case (issue 32).
 */
export function mayFileComplaint(caller: Caller, application: { submittedBy: string | null }): Refusal | null {
  if (caller.role === 'administrator') return null;
  if (caller.role !== 'portal' && caller.role !== 'platform' && caller.role !== 'state-corporation')
    return notEntitled(caller, 'does not file complaints; the applicant files them through the portal or the Platform');
  return submittedIt(caller, application.submittedBy)
    ? null
    : notEntitled(caller, 'did not submit this application and may not file a complaint on it');
}

/** R3, R9: the provider's decision, by a key of the case's own unit. */
export function mayDecideCase(caller: Caller, application: { providerUnit: string }): Refusal | null {
  if (caller.role === 'administrator') return null;
  if (caller.role !== 'provider') return notEntitled(caller, "does not decide applications; the provider's key does");
  if (!caller.units.includes(application.providerUnit))
    return notEntitled(caller, `decides the cases of its own units only, not of ${application.providerUnit}`);
  return null;
}

/**
 * R13: a complaint's decision, by a key of the body reviewing it: the body above the provider for a complaint
 * filed through the provider (APPK art. 91 §4), the quality-control authority's department for one addressed to
 * the authority. A provider never decides a complaint addressed to the authority, however it is filed; the provider
 * a complaint was filed through only satisfies it (`complaintDeciderOf`).
 */
export function mayDecideComplaint(caller: Caller, reviewer: Pick<ProviderUnit, 'id' | 'kind'>): Refusal | null {
  if (caller.role === 'administrator') return null;
  const authorityReviews = reviewer.kind === 'quality-authority' || reviewer.kind === 'quality-authority-territorial';
  const role = authorityReviews ? 'quality-authority' : 'provider';
  if (caller.role !== role) return notEntitled(caller, `may not decide this complaint: it is addressed to ${reviewer.id}`);
  if (!caller.units.includes(reviewer.id)) return notEntitled(caller, `decides complaints addressed to its own units only, not to ${reviewer.id}`);
  return null;
}

/** A complaint as the rules of who decides it see it (R13, APPK art. 91). */
export interface ComplaintDeciders {
  /** the body reviewing it: the superior body, or the authority's department */
  reviewer: Pick<ProviderUnit, 'id' | 'kind'>;
  /** the unit whose act it contests */
  providerUnit: string;
  /** filed through the provider (it may satisfy it in full while the complaint is with it) */
  throughProvider: boolean;
}

/**
 * R13 with APPK art. 91 §4: in what capacity a caller decides a complaint — as the body reviewing it, or as the
 * provider it was filed through, which may only satisfy it in full (`upheld`): a body never rejects or partly
 * upholds a complaint against its own act. The administrator acts in whichever capacity the complaint's stage
 * needs (null); the workflow's guard checks the capacity against the stage.
 */
export function complaintDeciderOf(
  caller: Caller,
  complaint: ComplaintDeciders,
  outcome: string,
): { as: 'provider' | 'reviewing-body' | null } | Refusal {
  if (caller.role === 'administrator') return { as: null };
  const asReviewer = mayDecideComplaint(caller, complaint.reviewer);
  if (asReviewer === null) return { as: 'reviewing-body' };
  if (!complaint.throughProvider || caller.role !== 'provider' || !caller.units.includes(complaint.providerUnit)) return asReviewer;
  if (outcome !== 'upheld') {
    return notEntitled(
      caller,
      `may not ${outcome === 'rejected' ? 'reject' : 'partly uphold'} a complaint against its own act: it satisfies it in full (upheld) or forwards it to ${complaint.reviewer.id}, which decides it (APPK art. 91 §4)`,
    );
  }
  return { as: 'provider' };
}

/** R13, APPK art. 91 §4: a complaint filed through the provider is forwarded by that provider's key. */
export function mayForwardComplaint(caller: Caller, complaint: ComplaintDeciders): Refusal | null {
  if (caller.role === 'administrator') return null;
  if (!complaint.throughProvider) return notEntitled(caller, 'may not forward this complaint: it was not filed through a provider');
  if (caller.role !== 'provider' || !caller.units.includes(complaint.providerUnit)) {
    return notEntitled(caller, `may not forward this complaint: it was filed through ${complaint.providerUnit}, whose key forwards it`);
  }
  return null;
}

/** R5, R14 (earlier standard): the State Corporation's steps are its own; sending a result back is the provider's. */
export function mayRecordCustody(caller: Caller, step: CustodyEvent['event'], application: { providerUnit: string }): Refusal | null {
  if (step === 'sent-again')
    return mayDecideCase(caller, application) && notEntitled(caller, `does not send results back for ${application.providerUnit}`);
  if (caller.role === 'administrator' || caller.role === 'state-corporation') return null;
  return notEntitled(caller, "does not record the State Corporation's custody steps");
}

/** Who a case concerns (R1): its provider unit, the system that submitted it, the bodies reviewing its complaints. */
export interface CaseParties {
  providerUnit: string;
  /** the API client that submitted it; null only where no submitter was recorded (then only staff read it) */
  submittedBy: string | null;
  /** the units reviewing its complaints (R13) */
  reviewers: readonly string[];
}

/**
 * R1, the Law on personal data (art. 8): a case is read by its parties only — the provider of its unit, a body
 * reviewing one of its complaints, the system that submitted it (the State Corporation's cases in its custody are
 * the ones it took) — and by the service's staff. Anyone else is told there is no such case (404, no oracle).
 */
export function mayReadCase(caller: Caller, parties: CaseParties): boolean {
  switch (caller.role) {
    case 'support':
    case 'operator':
    case 'administrator':
      return true;
    case 'provider':
      return caller.units.includes(parties.providerUnit) || parties.reviewers.some((unit) => caller.units.includes(unit));
    case 'quality-authority':
      return parties.reviewers.some((unit) => caller.units.includes(unit));
    case 'portal':
    case 'platform':
    case 'state-corporation':
      return parties.submittedBy !== null && parties.submittedBy === caller.client;
    case 'contact-centre':
      return false; // its look-up answers the status only (mayLookUpStatus)
  }
}

/** R11: a status look-up by number and IIN is the Unified Contact Centre's; it reads no case beyond it. */
export function mayLookUpStatus(caller: Caller): Refusal | null {
  if (caller.role === 'administrator' || caller.role === 'contact-centre') return null;
  return notEntitled(caller, "does not look up statuses by number and IIN; the Unified Contact Centre's key does (R11)");
}

/**
 * R5, R11: the personal cabinet is the teacher's, read through the system that submitted for her: each submitting
 * system sees the applications it submitted, the administrator all; providers, reviewers, support staff and
 * operators read cases, not cabinets (a cabinet id would otherwise open every document of a teacher).
 */
export function mayReadInCabinet(caller: Caller, application: { submittedBy: string | null }): boolean {
  if (caller.role === 'administrator') return true;
  return CHANNEL_OF_ROLE[caller.role] !== undefined && caller.role !== 'provider' && application.submittedBy === caller.client;
}

/** OWASP API5: the support views, the console and the codec are the staff's (a provider's key is refused, 403). */
export function mayUseStaffViews(caller: Caller): Refusal | null {
  return STAFF_ROLES.includes(caller.role)
    ? null
    : notEntitled(caller, "is not the service's staff: the support views are for support staff and operators");
}
