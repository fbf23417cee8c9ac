/**
 * Submitting an application (R1–R11), the use case behind `POST /applications`: the context of admission is
 * fixed — the standard in force at `submittedAt`, the campaign window of its year, the operators' calendar
 * overrides where a place's hours decide — and put into the workflow's input, so the workflow admits the
 * application with exactly what the API admitted it with (domain/admission.ts).
 */
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { nextAttempt, yearHeldRefusal } from '../../domain/academic-year';
import { admissionContextOf, admitWellFormed } from '../../domain/admission';
import { submissionSchema, submittedAtRefusal, type ApplicationInput } from '../../domain/application';
import { formatInstant } from '../../domain/calendar';
import { campaignWindow, type CampaignWindow } from '../../domain/campaign';
import type { ClosedCaseReopening } from '../../domain/case-status';
import { maySeeApplication, maySubmit, type Caller } from '../../domain/authority';
import { unknownProviderUnitRefusal, type ProviderUnits } from '../../domain/provider-units';
import { parseInput } from '../../domain/refusals';
import { applicationRunAttributes } from '../../domain/search-attributes';
import { STANDARDS, standardInForce, takenInPerson, type StandardId, type StandardInForce } from '../../domain/standards';
import { readCalendarOverrides } from '../../infra/calendar-overrides';
import { applicationsOfYear } from '../../infra/case-store';
import { applicationIdFor, cabinetIdFor, workflowIdFor } from '../../infra/identity';
import type { Store } from '../../infra/store';
import { partiesOf } from './entitlement';
import type { ApiRefusal } from './refusals';

export interface SubmissionDeps {
  client: Client;
  store: Store;
  taskQueue: string;
  identitySecret: string;
  now: () => Date;
  submissionMaxDelayMs: number;
  campaignWindows: readonly CampaignWindow[];
  standardSchedule: readonly StandardInForce[];
  units: ProviderUnits;
}

/** What a submitter is told: where the case is, and under which standard it runs. */
export interface Submitted {
  applicationId: string;
  workflowId: string;
  cabinetId: string;
  state: 'received';
  standard: StandardId;
}

export type SubmissionOutcome = { ok: true; submitted: Submitted } | { ok: false; refusal: ApiRefusal };

/**
 * Admits a submission from `caller` and starts its workflow, or answers why not; nothing is started for a
 * refusal.
 */
/**
 * Starts an application's workflow from its input, as a submission does and as an operator's restart does
 * (routes/support.ts): under its id, with the search attributes the Temporal UI filters on and R1's facts, and a
 * summary for the UI. An attempt whose run failed, timed out or was terminated may be started again; a running or
 * completed one may not (WorkflowExecutionAlreadyStartedError). A closed case's reopened run started again keeps
 * its `reopening` (R13): it enters review again, not registration.
 */
export async function startApplicationWorkflow(
  deps: Pick<SubmissionDeps, 'client' | 'taskQueue' | 'units'>,
  input: ApplicationInput,
  details: string,
  reopening?: ClosedCaseReopening,
) {
  return deps.client.workflow.start('applicationWorkflow', {
    taskQueue: deps.taskQueue,
    workflowId: workflowIdFor(input.applicationId),
    args: reopening ? [input, reopening] : [input],
    // A simultaneous submission of the same attempt started it first (R10); an attempt whose run failed before
    // it stored the application may be started again.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    ...applicationRunAttributes(input, reopening ? 'under-review' : 'received'),
    staticDetails: `${details} to ${deps.units.get(input.providerUnit).names.ru}`,
  });
}

export async function submitApplication(deps: SubmissionDeps, body: unknown, caller: Caller): Promise<SubmissionOutcome> {
  // The form first: the context of admission depends on the year, the instant and the channel.
  const parsed = parseInput(submissionSchema(), body);
  if (!parsed.ok) return { ok: false, refusal: parsed.error };
  const submission = parsed.value;
  // R1: a unit of the registry that provides the service, on the caller's own channel. The registry is operators'
  // data, so this is the door's check alone: the workflow trusts the unit it was started with.
  const unknownUnit = unknownProviderUnitRefusal(deps.units, submission.providerUnit);
  if (unknownUnit) return { ok: false, refusal: unknownUnit };
  const denied = maySubmit(caller, submission);
  if (denied) return { ok: false, refusal: denied };
  const submittedAt = submission.submittedAt ?? deps.now().toISOString();
  const untimely = submittedAtRefusal(submittedAt, deps.now(), deps.submissionMaxDelayMs);
  if (untimely) return { ok: false, refusal: untimely };
  // The standard in force at submission; the case is pinned to it (a later change of standard leaves it be).
  const inForce = standardInForce(new Date(submittedAt), deps.standardSchedule);
  const standard = STANDARDS[inForce.standard];
  // The terms the case will run under, and the rules of admission against them (422) — before the year is looked
  // up, so a submission the rules refuse learns nothing of whether the teacher's year is held (issue 32).
  const terms = {
    campaignWindow: campaignWindow(submission.academicYear, deps.campaignWindows),
    standard: standard.id,
    standardSince: inForce.from,
    // Only a place's hours need the operators' overrides: portal and Platform submissions skip the read (R7).
    ...(takenInPerson(standard, submission.channel) && { calendarOverrides: await readCalendarOverrides(deps.store) }),
  };
  const admission = admitWellFormed({ ...submission, submittedAt }, admissionContextOf({ ...terms, academicYear: submission.academicYear }));
  if (!admission.ok) return { ok: false, refusal: admission.refusal };
  // R10: the year is free unless an application of the teacher holds it (open or accepted); a new one after a
  // refusal or a withdrawal is the next attempt, with an id of its own.
  const earlier = await applicationsOfYear(deps.store, submission.iin, submission.academicYear);
  const holder = earlier.find((a) => a.holdsYear);
  // The other application is named only to the system that submitted it: to anyone else its id says nothing.
  if (holder) return { ok: false, refusal: yearHeldRefusal(submission.academicYear, maySeeApplication(caller, holder) ? holder.id : null) };
  const applicationId = applicationIdFor(submission.iin, submission.academicYear, deps.identitySecret, nextAttempt(earlier.length));
  const input: ApplicationInput = {
    ...submission,
    applicationId,
    submittedAt,
    cabinetId: cabinetIdFor(submission.iin, deps.identitySecret),
    submittedBy: caller.client,
    ...terms,
  };

  const workflowId = workflowIdFor(applicationId);
  try {
    await startApplicationWorkflow(deps, input, `Submitted ${formatInstant(new Date(submittedAt))} by ${caller.client}`);
  } catch (error) {
    // The same attempt started a moment ago (its row not yet written): named only to the system that started it.
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      const started = await partiesOf(deps, applicationId);
      return {
        ok: false,
        refusal: yearHeldRefusal(submission.academicYear, maySeeApplication(caller, started ?? { submittedBy: null }) ? applicationId : null),
      };
    }
    throw error;
  }
  return { ok: true, submitted: { applicationId, workflowId, cabinetId: input.cabinetId!, state: 'received', standard: standard.id } };
}
